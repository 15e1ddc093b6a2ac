"""Reads of follow-ups (回访): lists and detail for the office and the supervisor.

The inspected department never reads a follow-up (its notes are what the enterprise told 司法局); it
sees its follow-up counts in the quarterly summary (queries/summary.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from qijian.core.calendar import local_today
from qijian.core.models import VIEW
from qijian.evaluations.choices import FollowUpStatus
from qijian.evaluations.models import FollowUp

LIST_RELATED = ("enterprise", "department", "filing", "assigned_to", "checkin__inspector")


def follow_ups_for(user: Any, action: str = VIEW) -> QuerySet[FollowUp]:
    """The follow-ups ``user`` may read (office and supervisor: all; anyone else: none)."""
    return FollowUp.objects.restrict(user, action)


def follow_up_rows(user: Any) -> QuerySet[FollowUp]:
    """List rows: the most urgent first (pending before done, earliest deadline first), joined for printing."""
    return follow_ups_for(user).select_related(*LIST_RELATED).order_by("-status", "due_on", "id")


def follow_up_detail(user: Any, pk: int) -> FollowUp | None:
    related = (*LIST_RELATED, "done_by", "filing__item", "checkin__enterprise")
    return follow_ups_for(user).select_related(*related).filter(pk=pk).first()


def overdue(qs: QuerySet[FollowUp], today: dt.date | None = None) -> QuerySet[FollowUp]:
    return qs.filter(status=FollowUpStatus.PENDING, due_on__lt=today or local_today())


def not_overdue(qs: QuerySet[FollowUp], today: dt.date | None = None) -> QuerySet[FollowUp]:
    return qs.exclude(status=FollowUpStatus.PENDING, due_on__lt=today or local_today())
