"""Writes of the minimal meetings app: the office records meetings and their decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction

from qijian.accounts.choices import Role
from qijian.audit.services import record_event, snapshot
from qijian.meetings.choices import DecisionSubject, MeetingKind
from qijian.meetings.models import Decision, Meeting

# Any fixed 32-bit number: with the year, the key of the PostgreSQL advisory lock that serialises numbering.
_NUMBER_LOCK_CLASS = 0x514A_4D44


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
    if kind not in MeetingKind.values:
        raise MeetingError("会议类型不正确。")
    meeting = Meeting.objects.create(
        title=title.strip(), held_on=held_on, kind=kind, minutes=minutes, recorded_by=actor
    )
    record_event(actor=actor, action="meetings.record_meeting", target=meeting, after=snapshot(meeting))
    return meeting


def _lock_numbering(year: int) -> None:
    """Serialise decision numbering within a year until the transaction ends.

    PostgreSQL: a transaction-scoped advisory lock on (class, year). SQLite: every transaction is
    BEGIN IMMEDIATE (settings), so writers are already serialised. The unique number is the last line.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_NUMBER_LOCK_CLASS, year])


def _next_number(year: int) -> str:
    """``<year>-<nnn>``: one more than the highest number of the year (not a count: gaps stay gaps)."""
    numbers = Decision.objects.filter(number__startswith=f"{year}-").values_list("number", flat=True)
    highest = max((int(n.split("-", 1)[1]) for n in numbers), default=0)
    return f"{year}-{highest + 1:03d}"


@transaction.atomic
def record_decision(*, actor: Any, meeting: Meeting, subject: str, text: str) -> Decision:
    """Record one decision; its time is the server's and its number is sequential within the year."""
    _require_office(actor)
    if not text.strip():
        raise MeetingError("请填写决定内容。")
    if subject not in DecisionSubject.values:
        raise MeetingError("事项类别不正确。")
    _lock_numbering(meeting.held_on.year)
    decision = Decision.objects.create(
        meeting=meeting,
        number=_next_number(meeting.held_on.year),
        subject=subject,
        text=text.strip(),
        recorded_by=actor,
        recorded_at=dt.datetime.now(dt.UTC),
    )
    record_event(actor=actor, action="meetings.record_decision", target=decision, after=snapshot(decision))
    return decision
