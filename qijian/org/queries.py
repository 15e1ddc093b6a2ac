"""Reads of the organisation registry, always narrowed to what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from qijian.core.models import VIEW
from qijian.org.choices import InspectorStatus
from qijian.org.models import Conflict, Department, EnforcementPlatform, Inspector, Region

EXPIRY_WARNING_DAYS = 90


def departments_for(user: Any) -> QuerySet[Department]:
    return Department.objects.restrict(user, VIEW).select_related("region", "parent")


def department_rows(user: Any) -> QuerySet[Department]:
    """Departments for a list page, each with its number of inspectors (one grouped query)."""
    return departments_for(user).annotate(inspector_count=Count("inspectors", distinct=True))


def platforms_of(user: Any, department: Department) -> QuerySet[EnforcementPlatform]:
    return EnforcementPlatform.objects.restrict(user, VIEW).filter(department=department).order_by("id")


def inspectors_for(user: Any) -> QuerySet[Inspector]:
    return Inspector.objects.restrict(user, VIEW).select_related("department")


def conflicts_of_inspector(user: Any, inspector: Inspector) -> QuerySet[Conflict]:
    return Conflict.objects.restrict(user, VIEW).filter(inspector=inspector).select_related("enterprise")


def conflicts_of_enterprise(user: Any, enterprise: Any) -> QuerySet[Conflict]:
    qs = Conflict.objects.restrict(user, VIEW).filter(enterprise=enterprise)
    return qs.select_related("inspector__department").order_by("-declared_on", "id")


def today() -> dt.date:
    return timezone.localdate()


def expiring_certificates(user: Any, *, days: int = EXPIRY_WARNING_DAYS) -> QuerySet[Inspector]:
    """Active inspectors the user may see whose certificate ends within ``days`` (or has ended)."""
    limit = today() + dt.timedelta(days=days)
    qs = inspectors_for(user).filter(status=InspectorStatus.ACTIVE, certificate_valid_until__lte=limit)
    return qs.order_by("certificate_valid_until", "id")


def filter_regions() -> QuerySet[Region]:
    """Regions that have departments, for the department list's region filter."""
    return Region.objects.filter(departments__isnull=False).distinct().order_by("code")


def townships() -> QuerySet[Region]:
    return Region.objects.filter(level__in=["township", "zone"]).order_by("code")


def registry_counts() -> dict[str, int]:
    """County-wide head counts for the office dashboard (small tables: exact counts)."""
    return {
        "departments": Department.objects.count(),
        "inspectors": Inspector.objects.filter(status=InspectorStatus.ACTIVE).count(),
        "high_frequency": Department.objects.filter(high_frequency=True).count(),
    }
