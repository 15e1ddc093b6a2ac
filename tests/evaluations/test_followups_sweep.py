"""The daily follow-up sweep: R10 once per overdue follow-up, one reminder mail before the deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.audit.models import AuditEvent
from qijian.core.models import Notification
from qijian.core.testing import County
from qijian.evaluations.models import FollowUp
from qijian.evaluations.services import followups as services
from qijian.evaluations.services.followup_sweep import sweep_follow_ups
from qijian.oversight.models import Alert
from qijian.oversight.sweeps import run_sweeps
from tests.evaluations.conftest import finished_visit, unfiled_visit
from tests.smtp import Inbox

MAIL = "sfj-huifang@cangxian.example.cn"


@pytest.fixture(autouse=True)
def _media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _day_after(fu: FollowUp, days: int = 1) -> dt.date:
    return fu.due_on + dt.timedelta(days=days)


# --- R10 ----------------------------------------------------------------------------------------------------


def test_an_overdue_pending_follow_up_raises_r10_once(county: County, follow_up: FollowUp) -> None:
    raised = sweep_follow_ups(_day_after(follow_up))
    assert len(raised) == 1
    alert = raised[0]
    assert (alert.rule, alert.severity, alert.dedup_key) == ("R10", "overdue", f"R10:follow_up:{follow_up.pk}")
    assert (alert.department, alert.enterprise, alert.filing) == (county.dept, county.enterprise, follow_up.filing)
    assert "回访已逾期1天" in alert.message and alert.facts["follow_up"] == follow_up.pk
    assert sweep_follow_ups(_day_after(follow_up)) == [] and sweep_follow_ups(_day_after(follow_up, 3)) == []
    assert Alert.objects.filter(rule="R10").count() == 1


def test_no_r10_on_the_deadline_day_or_for_a_done_follow_up(county: County, follow_up: FollowUp) -> None:
    assert sweep_follow_ups(follow_up.due_on) == []
    services.record_follow_up(actor=county.user("supervisor"), follow_up=follow_up, method="phone", findings="无意见")
    assert sweep_follow_ups(_day_after(follow_up, 2)) == [] and not Alert.objects.filter(rule="R10").exists()


def test_an_unfiled_entrys_overdue_follow_up_raises_r10_without_a_filing(county: County) -> None:
    fu = FollowUp.objects.get(checkin=unfiled_visit(county))
    alert = sweep_follow_ups(_day_after(fu))[0]
    assert alert.rule == "R10" and alert.filing is None and alert.department == county.dept


def test_the_daily_oversight_sweep_runs_the_follow_up_sweep(county: County, follow_up: FollowUp) -> None:
    result = run_sweeps(_day_after(follow_up))
    assert [a.dedup_key for a in result.alerts if a.rule == "R10"] == [f"R10:follow_up:{follow_up.pk}"]
    assert not [a for a in run_sweeps(_day_after(follow_up)).alerts if a.rule == "R10"]


# --- reminders ---------------------------------------------------------------------------------------------


def _with_mail(county: County) -> None:
    user = county.user("supervisor")
    user.email = MAIL
    user.save(update_fields=["email"])


@pytest.mark.django_db(transaction=True)
def test_the_assignee_is_mailed_and_told_once_the_day_before_the_deadline(county: County, smtp: Inbox) -> None:
    _with_mail(county)
    fu = FollowUp.objects.get(checkin=finished_visit(county))
    sweep_follow_ups(fu.due_on - dt.timedelta(days=2))
    assert smtp.to(MAIL) == []
    sweep_follow_ups(fu.due_on - dt.timedelta(days=1))
    mails = smtp.to(MAIL)
    assert len(mails) == 1 and "回访提醒" in mails[0].subject and county.enterprise.name in mails[0].subject
    assert f"{fu.due_on:%Y年%m月%d日}" in mails[0].body
    fu.refresh_from_db()
    assert fu.reminded_at is not None
    assert Notification.objects.filter(recipient=county.user("supervisor"), title__startswith="回访提醒").count() == 1
    sweep_follow_ups(fu.due_on - dt.timedelta(days=1))
    sweep_follow_ups(fu.due_on)
    assert len(smtp.to(MAIL)) == 1
    assert AuditEvent.objects.filter(action="evaluations.remind_follow_up", target_id=str(fu.pk)).count() == 1


def test_a_missed_reminder_day_still_reminds_on_the_deadline_day_but_not_after(
    county: County, follow_up: FollowUp
) -> None:
    sweep_follow_ups(_day_after(follow_up))
    follow_up.refresh_from_db()
    assert follow_up.reminded_at is None
    sweep_follow_ups(follow_up.due_on)
    follow_up.refresh_from_db()
    assert follow_up.reminded_at is not None


def test_no_reminder_for_an_unassigned_follow_up(county: County, follow_up: FollowUp) -> None:
    FollowUp.objects.filter(pk=follow_up.pk).update(assigned_to=None)
    sweep_follow_ups(follow_up.due_on)
    assert not FollowUp.objects.filter(reminded_at__isnull=False).exists()
    assert not Notification.objects.filter(title__startswith="回访提醒").exists()


def test_no_reminder_for_a_done_follow_up(county: County, follow_up: FollowUp) -> None:
    services.record_follow_up(actor=county.user("supervisor"), follow_up=follow_up, method="visit", findings="上门回访")
    sweep_follow_ups(follow_up.due_on)
    assert not FollowUp.objects.filter(reminded_at__isnull=False).exists()


def test_a_reassigned_follow_up_reminds_the_new_assignee(county: County, follow_up: FollowUp) -> None:
    sweep_follow_ups(follow_up.due_on)
    target = county.user("supervisor", other=True)
    services.assign_follow_up(actor=county.user("office"), follow_up=follow_up, assignee=target)
    sweep_follow_ups(follow_up.due_on)
    assert Notification.objects.filter(recipient=target, title__startswith="回访提醒").count() == 1
