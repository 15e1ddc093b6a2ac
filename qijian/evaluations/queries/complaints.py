"""Reads of complaints: scoped lists for the pages and API, counts per department for the quarterly
summary, and what a referral's evidence packet shows of a complaint.

Departments never read a complaint (who complained is not theirs to know); they get counts only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate

from qijian.core.calendar import local_today, local_zone
from qijian.core.models import VIEW
from qijian.evaluations.choices import ComplaintStatus
from qijian.evaluations.models import Complaint

OPEN = (ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING)


def complaints_for(user: Any, action: str = VIEW) -> QuerySet[Complaint]:
    return Complaint.objects.restrict(user, action)  # type: ignore[attr-defined,no-any-return]


def complaint_rows(user: Any) -> QuerySet[Complaint]:
    """The list page's rows with what they show joined in (no N+1)."""
    return complaints_for(user).select_related("enterprise", "department", "filing", "handler")


def overdue_q(today: dt.date | None = None) -> Q:
    """Still open and past a deadline: not accepted by accept_due, or not closed by reply_due."""
    day = today or local_today()
    return Q(status=ComplaintStatus.RECEIVED, accept_due__lt=day) | Q(status__in=OPEN, reply_due__lt=day)


def is_overdue(complaint: Complaint, today: dt.date | None = None) -> bool:
    day = today or local_today()
    if complaint.status == ComplaintStatus.RECEIVED and complaint.accept_due < day:
        return True
    return complaint.status in OPEN and complaint.reply_due < day


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=local_zone())


@dataclass(frozen=True)
class ComplaintCounts:
    received: int = 0
    replied: int = 0
    replied_late: int = 0
    open: int = 0
    overdue: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def counts_for_department(
    department_id: int, start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> ComplaintCounts:
    """Complaints about a department received on local days ``start``..``end`` (both inclusive).

    replied: closed with an outcome (rejections are not counted as replied); replied_late: of those,
    replied after reply_due; open: not yet replied or rejected; overdue: open and past a deadline
    (as of ``today``, default the county's today). One query.
    """
    day = today or local_today()
    rows = Complaint.objects.filter(
        department_id=department_id,
        received_at__gte=_day_start(start),
        received_at__lt=_day_start(end + dt.timedelta(days=1)),
    )
    late = Q(status=ComplaintStatus.REPLIED, replied_day__gt=F("reply_due"))
    figures = rows.annotate(replied_day=TruncDate("replied_at", tzinfo=local_zone())).aggregate(
        received=Count("pk"),
        replied=Count("pk", filter=Q(status=ComplaintStatus.REPLIED)),
        replied_late=Count("pk", filter=late),
        open=Count("pk", filter=Q(status__in=OPEN)),
        overdue=Count("pk", filter=overdue_q(day)),
    )
    return ComplaintCounts(**figures)


def replied_late(complaint: Complaint) -> bool:
    if complaint.replied_at is None or complaint.status != ComplaintStatus.REPLIED:
        return False
    return complaint.replied_at.astimezone(local_zone()).date() > complaint.reply_due


def evidence_rows(complaint: Complaint) -> list[tuple[str, str]]:
    """What a referral's evidence packet shows of a complaint, as (label, value) rows in Chinese."""

    def day(value: dt.datetime | None) -> str:
        return value.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M") if value else "—"

    return [
        ("投诉编号", complaint.number),
        ("来源", f"{complaint.get_source_display()} {complaint.external_id}".strip()),
        ("收到时间", day(complaint.received_at)),
        ("企业", complaint.enterprise.name if complaint.enterprise else "—"),
        ("被投诉部门", complaint.department.name if complaint.department else "—"),
        ("报备", complaint.filing.number if complaint.filing else "—"),
        ("投诉内容", complaint.summary),
        ("状态", complaint.get_status_display()),
        ("办理结果", complaint.outcome or "—"),
        ("反馈时间", day(complaint.replied_at)),
    ]


def complaints_about_filing(filing_id: int) -> QuerySet[Complaint]:
    """Every complaint naming a filing (for a referral's evidence), oldest first."""
    return (
        Complaint.objects.filter(filing_id=filing_id)
        .select_related("enterprise", "department")
        .order_by("received_at", "id")
    )
