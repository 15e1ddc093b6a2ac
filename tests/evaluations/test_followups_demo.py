"""The follow-up demo: two done, one pending, one overdue with its R10 alert; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.accounts.models import User
from qijian.audit.models import AuditEvent
from qijian.checkins import services as checkins
from qijian.core.calendar import local_today
from qijian.core.testing import County, make_user
from qijian.evaluations import demo_followups
from qijian.evaluations.models import FollowUp
from qijian.oversight.models import Alert
from tests.checkins.visits import make_filing, now
from tests.inspections.conftest import build_setup


@pytest.fixture
def demo_county(county: County, tmp_path: Any, settings: Any) -> County:
    """The demo's accounts (supervisor, dept_yjgl, inspector2) and three finished visits of the check-ins demo."""
    settings.MEDIA_ROOT = str(tmp_path)
    setup = build_setup(county)
    for role, name in (("supervisor", "supervisor"), ("dept_admin", "dept_yjgl"), ("inspector", "inspector2")):
        User.objects.filter(pk=county.user(role).pk).update(username=name)
    make_user("inspector_mate", "inspector", department=county.dept, inspector=setup.colleague)
    make_filing(setup, start=now() - dt.timedelta(hours=1), end=now() + dt.timedelta(hours=3), number="BB20991231-0001")
    inspector = User.objects.get(username="inspector2")
    for key in ("demo-checkin-yjgl-no-problem", "demo-checkin-yjgl-case", "demo-checkin-yjgl-offline"):
        row, _ = checkins.record_checkin(
            actor=inspector, idempotency_key=key, enterprise=county.enterprise, companions=[setup.colleague]
        )
        checkins.check_out(actor=inspector, checkin=row, result="no_problem")
    return county


def test_the_demo_leaves_done_pending_and_overdue_follow_ups_and_is_idempotent(demo_county: County) -> None:
    demo_followups.load_demo()
    rows = FollowUp.objects.all()
    assert rows.count() == 4
    done = rows.filter(status="done")
    assert {f.method for f in done} == {"phone", "visit"} and all(f.done_by.username == "supervisor" for f in done)  # type: ignore[union-attr]
    past = rows.get(checkin__idempotency_key=demo_followups.PAST_KEY)
    assert past.status == "pending" and past.due_on < local_today() and past.filing is not None
    assert past.enterprise == demo_county.other_enterprise
    assert rows.filter(status="pending", due_on__gte=local_today()).exists()
    assert Alert.objects.filter(rule="R10", dedup_key=f"R10:follow_up:{past.pk}").count() == 1
    counts = (rows.count(), Alert.objects.count(), AuditEvent.objects.count())
    demo_followups.load_demo()
    assert (FollowUp.objects.count(), Alert.objects.count(), AuditEvent.objects.count()) == counts


def test_the_demo_does_nothing_without_its_accounts(county: County) -> None:
    demo_followups.load_demo()
    assert not FollowUp.objects.exists() and not Alert.objects.exists()
