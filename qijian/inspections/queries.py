"""Reads of the filings app, always narrowed to what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from qijian.accounts.choices import Role
from qijian.audit.models import AuditEvent
from qijian.core.models import CHANGE, VIEW
from qijian.enterprises.models import Enterprise
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from qijian.org.choices import DepartmentLevel, InspectorStatus
from qijian.org.models import Department, Inspector
from qijian.oversight.models import Alert

SUPERIOR_LEVELS = (DepartmentLevel.NATIONAL, DepartmentLevel.PROVINCE, DepartmentLevel.CITY)


def _scoped(user: Any, action: str = VIEW) -> QuerySet[Filing]:
    return Filing.objects.restrict(user, action).select_related("department", "item", "superior_department")


def filings_for(user: Any, action: str = VIEW) -> QuerySet[Filing]:
    """Filings the user may see (office: all; department admin: its own; inspector: its assignments;
    enterprise: its own), newest first, with what a list row prints joined or prefetched."""
    return (
        _scoped(user, action)
        .prefetch_related(Prefetch("enterprises", queryset=Enterprise.objects.order_by("id")))
        .order_by("-filed_at", "-id")
    )


def filing_detail(user: Any, pk: int) -> Filing | None:
    """One visible filing with its facts, people and links joined (a fixed number of queries)."""
    qs = _scoped(user).select_related(
        "filed_by", "cancelled_by", "plan_entry__plan__department", "supersedes", "acceptance_of", "office_read_by"
    )
    return (
        qs.prefetch_related(
            Prefetch("enterprises", queryset=Enterprise.objects.select_related("township").order_by("id")),
            Prefetch("inspectors", queryset=Inspector.objects.select_related("department").order_by("certificate_no")),
            "partners",
        )
        .filter(pk=pk)
        .first()
    )


def changeable_filing(user: Any, pk: int) -> Filing | None:
    return _scoped(user, CHANGE).filter(pk=pk).first()


def root_number(filing: Filing) -> str:
    return filing.number[: len("BB20260101-0001")]


def filing_history(filing: Filing) -> list[Filing]:
    """The chain of a filing: the original first, then each amendment in order."""
    root = root_number(filing)
    chain = Filing.objects.filter(Q(number=root) | Q(number__startswith=f"{root}-")).select_related("filed_by")
    return sorted(chain, key=lambda f: (len(f.number), f.number))


def filings_covering(enterprise_id: int, at: dt.datetime) -> QuerySet[Filing]:
    """ACTIVE filings of the enterprise whose window covers ``at`` (a check-in looks its filing up here)."""
    return (
        Filing.objects.filter(
            status=FilingStatus.ACTIVE, enterprises__id=enterprise_id, window_start__lte=at, window_end__gte=at
        )
        .select_related("department", "item")
        .order_by("window_start", "id")
    )


def unread_count(user: Any) -> int:
    """Filings no office user has opened yet (0 for other roles)."""
    if getattr(user, "role", None) != Role.OFFICE:
        return 0
    return Filing.objects.filter(office_read_at__isnull=True).count()


def alerts_of(user: Any, filing: Filing) -> QuerySet[Alert]:
    return Alert.objects.restrict(user, VIEW).filter(filing=filing).select_related("enterprise").order_by("-raised_at")


def timeline_events(filing: Filing, limit: int = 50) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(target_type=filing._meta.label_lower, target_id=str(filing.pk))
    return qs.select_related("actor").order_by("-seq")[:limit]


# --- form choices ------------------------------------------------------------------------------------


def filing_inspectors(department_ids: list[int]) -> QuerySet[Inspector]:
    """Active inspectors of the given departments, for the inspector pickers."""
    qs = Inspector.objects.filter(department_id__in=department_ids, status=InspectorStatus.ACTIVE)
    return qs.select_related("department").order_by("department__code", "certificate_no")


def superior_departments() -> QuerySet[Department]:
    return Department.objects.filter(level__in=SUPERIOR_LEVELS).order_by("level", "code")


def visible_departments(user: Any) -> QuerySet[Department]:
    return Department.objects.filter(pk__in=filings_for(user).values("department_id")).order_by("code")


def enterprises_named(names: list[str]) -> dict[str, list[Enterprise]]:
    """Enterprises by exact name (a name may match more than one)."""
    found: dict[str, list[Enterprise]] = {}
    for enterprise in Enterprise.objects.filter(name__in=names).order_by("id"):
        found.setdefault(enterprise.name, []).append(enterprise)
    return found
