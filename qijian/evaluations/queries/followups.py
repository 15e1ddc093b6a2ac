"""Reads of follow-ups (回访): lists and detail for the office and the supervisor, counts for departments.

The inspected department never reads a follow-up (its notes are what the enterprise told 司法局); it
gets ``counts_for_department`` in the quarterly summary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
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


@dataclass(frozen=True)
class FollowUpCounts:
    """One department's follow-ups due in a period (by ``due_on``), as of ``today``.

    ``total`` = ``done`` + ``overdue`` + ``pending``; ``done_late`` ⊆ ``done`` (done after the deadline
    day); ``overdue``: still not done after the deadline day; ``pending``: not done, deadline not passed.
    """

    total: int
    done: int
    done_late: int
    overdue: int
    pending: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def counts_for_department(
    department_id: int, start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> FollowUpCounts:
    """Counts (no rows, no notes) of ``department_id``'s follow-ups due in [start, end] (one query)."""
    today = today or local_today()
    rows = FollowUp.objects.filter(department_id=department_id, due_on__gte=start, due_on__lte=end)
    states = list(rows.values_list("status", "due_on", "done_at"))
    done = [FollowUp(status=s, due_on=d, done_at=at) for s, d, at in states if s == FollowUpStatus.DONE]
    open_due = [d for s, d, _ in states if s != FollowUpStatus.DONE]
    overdue_count = sum(1 for d in open_due if d < today)
    return FollowUpCounts(
        total=len(states),
        done=len(done),
        done_late=sum(1 for f in done if f.done_late),
        overdue=overdue_count,
        pending=len(open_due) - overdue_count,
    )
