"""Reads of complaints: scoped lists for the pages and API, counts per department for the quarterly
summary, and what a referral's evidence packet shows of a complaint.

Departments never read a complaint (who complained is not theirs to know); they get counts only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

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


def replied_late(complaint: Complaint) -> bool:
    if complaint.replied_at is None or complaint.status != ComplaintStatus.REPLIED:
        return False
    return complaint.replied_at.astimezone(local_zone()).date() > complaint.reply_due
