"""Reads of referrals (纪检监察移送), always narrowed to what the user may see, and the quarter's counts.

Office and supervisor see every referral; discipline sees the APPROVED ones only (Referral.scope_q).
``counts(start, end)`` is for the quarterly summary: referrals proposed, approved and rejected in the
period (local days, both ends included), in total and by department.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Greatest

from qijian.core.calendar import local_zone
from qijian.core.models import VIEW
from qijian.oversight.choices import ReferralStatus
from qijian.oversight.models import Referral

LIST_RELATED = ("alert", "complaint", "department", "enterprise", "proposed_by")
DETAIL_RELATED = (*LIST_RELATED, "office_approved_by", "supervisor_approved_by", "rejected_by")


def referrals_for(user: Any) -> QuerySet[Referral]:
    """Referrals the user may see, with what the detail page prints joined."""
    return Referral.objects.restrict(user, VIEW).select_related(*DETAIL_RELATED)


def referral_rows(user: Any) -> QuerySet[Referral]:
    """Referrals for a list page, newest first."""
    return Referral.objects.restrict(user, VIEW).select_related(*LIST_RELATED).order_by("-proposed_at", "-id")


def pending_count(user: Any) -> int:
    return Referral.objects.restrict(user, VIEW).filter(status=ReferralStatus.PROPOSED).count()


# --- the quarterly summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentCounts:
    department_id: int | None
    department: str
    proposed: int = 0
    approved: int = 0
    rejected: int = 0


@dataclass(frozen=True)
class ReferralCounts:
    start: dt.date
    end: dt.date
    proposed: int
    approved: int
    rejected: int
    by_department: list[DepartmentCounts] = field(default_factory=list)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = local_zone()
    first = dt.datetime.combine(start, dt.time(), tzinfo=zone)
    return first, dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone)


def _period_filters(start: dt.date, end: dt.date) -> dict[str, Q]:
    low, high = _bounds(start, end)
    return {
        "proposed": Q(proposed_at__gte=low, proposed_at__lt=high),
        "approved": Q(status=ReferralStatus.APPROVED, approved_at__gte=low, approved_at__lt=high),
        "rejected": Q(status=ReferralStatus.REJECTED, rejected_at__gte=low, rejected_at__lt=high),
    }


def counts(start: dt.date, end: dt.date) -> ReferralCounts:
    """Referrals proposed, approved (second approval) and rejected from ``start`` to ``end`` (local days)."""
    filters = _period_filters(start, end)
    qs = Referral.objects.annotate(approved_at=Greatest("office_approved_at", "supervisor_approved_at"))
    aggregates = {name: Count("pk", filter=where) for name, where in filters.items()}
    rows = qs.values("department_id", "department__name").annotate(**aggregates).order_by("department__name")
    by_department = [
        DepartmentCounts(r["department_id"], r["department__name"] or "未指明部门", *(r[n] for n in filters))
        for r in rows
        if any(r[n] for n in filters)
    ]
    totals = {n: sum(getattr(d, n) for d in by_department) for n in filters}
    return ReferralCounts(start, end, totals["proposed"], totals["approved"], totals["rejected"], by_department)
