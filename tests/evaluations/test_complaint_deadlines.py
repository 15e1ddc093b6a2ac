"""Complaint deadlines: the daily sweep's overdue notices (once per complaint and deadline, no alert) and the
per-department counts of the quarterly summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from qijian.audit.models import AuditEvent
from qijian.core.calendar import local_zone
from qijian.core.models import Notification
from qijian.core.testing import County
from qijian.evaluations.models import Complaint
from qijian.evaluations.services import complaints as services
from qijian.evaluations.services.complaint_feedback import sweep_complaint_deadlines
from qijian.oversight.models import Alert
from qijian.oversight.sweeps import run_sweeps
from tests.evaluations.complaint_factories import (
    accepted,
    staff_complaint,
    use_immediate_tasks,
)


@pytest.fixture
def tasks_now(settings: Any) -> None:
    use_immediate_tasks(settings)


def _notes(user: Any) -> list[str]:
    return list(Notification.objects.filter(recipient=user, title__contains="已超过").values_list("title", flat=True))


def test_past_accept_due_notifies_the_supervisors_once(county: County) -> None:
    complaint = staff_complaint(county)
    assert sweep_complaint_deadlines(complaint.accept_due) == []
    assert _notes(county.user("supervisor")) == []
    day_after = complaint.accept_due + dt.timedelta(days=1)
    assert sweep_complaint_deadlines(day_after) == []
    assert _notes(county.user("supervisor")) == [
        f"投诉 {complaint.number} 已超过受理期限({complaint.accept_due:%Y-%m-%d})"
    ]
    assert _notes(county.user("supervisor", other=True))  # every supervisor: nobody handles it yet
    sweep_complaint_deadlines(day_after)
    sweep_complaint_deadlines(day_after + dt.timedelta(days=3))
    assert len(_notes(county.user("supervisor"))) == 1
    assert AuditEvent.objects.filter(action="evaluations.complaint_overdue", target_id=str(complaint.pk)).count() == 1


def test_past_reply_due_notifies_the_handler_only_and_mails_them(
    county: County, tasks_now: None, django_capture_on_commit_callbacks: Any
) -> None:
    handler = county.user("supervisor")
    handler.email = "sifa@cangxian.example.cn"
    handler.save(update_fields=["email"])
    complaint = accepted(county, staff_complaint(county))
    with django_capture_on_commit_callbacks(execute=True):
        sweep_complaint_deadlines(complaint.reply_due + dt.timedelta(days=1))
    assert _notes(handler) == [f"投诉 {complaint.number} 已超过办结期限({complaint.reply_due:%Y-%m-%d})"]
    assert _notes(county.user("supervisor", other=True)) == []
    assert [m.to for m in mail.outbox] == [["sifa@cangxian.example.cn"]]


def test_a_closed_complaint_gets_no_notice(county: County) -> None:
    complaint = staff_complaint(county)
    services.reject_complaint(actor=county.user("office"), complaint=complaint, reason="重复投诉")
    sweep_complaint_deadlines(complaint.reply_due + dt.timedelta(days=5))
    assert _notes(county.user("supervisor")) == []


def test_the_daily_oversight_sweep_runs_it_and_raises_no_alert(county: County) -> None:
    complaint = staff_complaint(county)
    result = run_sweeps(complaint.reply_due + dt.timedelta(days=1))
    complaint.refresh_from_db()
    assert complaint.accept_overdue_noticed_at is not None and complaint.reply_overdue_noticed_at is not None
    assert not [a for a in result.alerts if complaint.number in a.message or a.rule == "R10"]
    assert not Alert.objects.filter(message__contains=complaint.number).exists()


# --- counts for the quarterly summary ---------------------------------------------------------------


def _received(complaint: Complaint, day: dt.date) -> Complaint:
    """Move a complaint's receipt (and so its deadlines) to ``day`` (set directly: the services stamp now)."""
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=local_zone())
    accept_due, reply_due = services.deadlines(moment)
    Complaint.objects.filter(pk=complaint.pk).update(received_at=moment, accept_due=accept_due, reply_due=reply_due)
    complaint.refresh_from_db()
    return complaint
