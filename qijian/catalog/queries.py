"""Reads of the item catalog; other apps ask here what is on a department's effective catalog (R04)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from qijian.catalog.choices import CatalogStatus
from qijian.catalog.models import CatalogItem, CatalogVersion


def effective_version(department_id: int, on: dt.date) -> CatalogVersion | None:
    """The approved version in force on ``on``: the latest ``effective_from`` on or before it."""
    return (
        CatalogVersion.objects.filter(
            department_id=department_id, status=CatalogStatus.APPROVED, effective_from__lte=on
        )
        .order_by("-effective_from", "-number")
        .first()
    )


def effective_items(department_id: int, on: dt.date) -> QuerySet[CatalogItem]:
    version = effective_version(department_id, on)
    if version is None:
        return CatalogItem.objects.none()
    return CatalogItem.objects.filter(version=version).prefetch_related("industries")


def effective_codes(department_id: int, on: dt.date) -> frozenset[str]:
    return frozenset(effective_items(department_id, on).values_list("code", flat=True))


def is_effective(item: CatalogItem, on: dt.date) -> bool:
    """Is this exact item row on its department's catalog in force on ``on``? (R04)"""
    version = effective_version(item.version.department_id, on)
    return version is not None and version.pk == item.version_id


def applies_to(item: CatalogItem, enterprise: Any) -> bool:
    """Does the item apply to the enterprise's industry (or its section) and type? Empty = all."""
    if item.enterprise_types and enterprise.type not in item.enterprise_types:
        return False
    industries = list(item.industries.all())
    if not industries:
        return True
    codes = {i.code for i in industries}
    industry = enterprise.industry
    return industry.code in codes or (industry.parent_id is not None and industry.parent.code in codes)


def versions_for(user: Any) -> QuerySet[CatalogVersion]:
    return CatalogVersion.objects.restrict(user).select_related("department", "decision")
