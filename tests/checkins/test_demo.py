"""The check-in demo: every kind of visit through the services, on the filings that exist, twice
without duplicating anything, and nothing at all on an empty database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.accounts.models import User
from qijian.audit.models import AuditEvent
from qijian.checkins import demo
from qijian.checkins.models import Attachment, CheckIn
from qijian.core.testing import County, make_user
from qijian.oversight.models import Alert
from tests.checkins.visits import make_filing, now
from tests.inspections.conftest import at, build_setup


@pytest.fixture
def demo_county(county: County, tmp_path: Any, settings: Any) -> County:
    """inspector1 and inspector2 on an urgent filing open now and two planned filings in the coming days."""
    settings.MEDIA_ROOT = str(tmp_path)
    setup = build_setup(county)
    User.objects.filter(pk=county.user("inspector").pk).update(username="inspector1")
    make_user("inspector2", "inspector", department=county.dept, inspector=setup.colleague)
    planned = {"kind": "planned", "urgent_reason": ""}
    make_filing(setup, start=now() - dt.timedelta(hours=1), end=now() + dt.timedelta(hours=3), number="BB20991231-0001")
    make_filing(setup, start=at(1, 9), end=at(1, 12), number="BB20991231-0002", **planned)
    make_filing(setup, start=at(2, 9), end=at(2, 16), number="BB20991231-0003", **planned)
    return county


def test_the_demo_records_every_kind_of_visit_and_is_idempotent(demo_county: County) -> None:
    demo.load_demo()
    rows = CheckIn.objects.all()
    assert {r.result for r in rows if r.status == "checked_out"} == {"no_problem", "problems", "case_opened"}
    assert rows.filter(status="checked_in", unfiled=False).count() == 1
    unfiled = rows.get(unfiled=True)
    assert Alert.objects.filter(rule="R01", dedup_key=f"R01:checkin:{unfiled.pk}").exists()
    offline = rows.get(source="offline")
    assert offline.client_time is not None and offline.filing is not None
    assert rows.get(result="problems").rectification_deadline is not None
    assert Attachment.objects.filter(content_type="image/png").count() == 2
    counts = (rows.count(), Attachment.objects.count(), AuditEvent.objects.count())
    assert counts[:2] == (6, 2)
    demo.load_demo()
    assert (CheckIn.objects.count(), Attachment.objects.count(), AuditEvent.objects.count()) == counts


def test_the_demo_runs_on_an_empty_database(db: None) -> None:
    demo.load_demo()
    assert CheckIn.objects.count() == 0


def test_the_demo_photo_is_a_png_the_attachment_rules_accept() -> None:
    from qijian.checkins.services import sniff

    assert sniff(demo.demo_png()) == "image/png"
