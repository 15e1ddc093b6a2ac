"""Writes of the minimal meetings app: the office records meetings and their decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from qijian.accounts.choices import Role
from qijian.audit.services import record_event, snapshot
from qijian.meetings.models import Decision, Meeting


class MeetingError(ValueError):
    """A meeting action that is not allowed; the message is for the user (Chinese)."""


def _require_office(actor: Any) -> None:
    if getattr(actor, "role", None) != Role.OFFICE:
        raise MeetingError("只有联席会议办公室可以记录会议及其决定。")


@transaction.atomic
def record_meeting(*, actor: Any, title: str, held_on: dt.date, kind: str, minutes: str = "") -> Meeting:
    _require_office(actor)
    if not title.strip():
        raise MeetingError("请填写会议名称。")
    meeting = Meeting.objects.create(
        title=title.strip(), held_on=held_on, kind=kind, minutes=minutes, recorded_by=actor
    )
    record_event(actor=actor, action="meetings.record_meeting", target=meeting, after=snapshot(meeting))
    return meeting


def _next_number(meeting: Meeting) -> str:
    count = Decision.objects.filter(meeting__held_on__year=meeting.held_on.year).count()
    return f"{meeting.held_on.year}-{count + 1:03d}"


@transaction.atomic
def record_decision(*, actor: Any, meeting: Meeting, subject: str, text: str) -> Decision:
    """Record one decision; its time is the server's and its number is sequential within the year."""
    _require_office(actor)
    if not text.strip():
        raise MeetingError("请填写决定内容。")
    decision = Decision.objects.create(
        meeting=meeting,
        number=_next_number(meeting),
        subject=subject,
        text=text.strip(),
        recorded_by=actor,
        recorded_at=dt.datetime.now(dt.UTC),
    )
    record_event(actor=actor, action="meetings.record_decision", target=decision, after=snapshot(decision))
    return decision
