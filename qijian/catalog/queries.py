"""Reads of the item catalog; other apps ask here what is on a department's effective catalog (R04)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from qijian.accounts.choices import Role
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
    """Does the item apply to the enterprise's industry and type? Empty = all.

    GB/T 4754 codes carry their ancestors as prefixes (C → C31 → C314 → C3140), so an item listing a
    section or division applies to every enterprise whose industry code starts with it.
    """
    if item.enterprise_types and enterprise.type not in item.enterprise_types:
        return False
    codes = [i.code for i in item.industries.all()]
    return not codes or enterprise.industry.code.startswith(tuple(codes))


def versions_for(user: Any) -> QuerySet[CatalogVersion]:
    return CatalogVersion.objects.restrict(user).select_related("department", "decision")


def effective_catalogs(on: dt.date, *, with_items: bool = True) -> list[CatalogVersion]:
    """Every department's version in force on ``on``, with items and industries prefetched (3 queries)."""
    approved = CatalogVersion.objects.filter(status=CatalogStatus.APPROVED, effective_from__lte=on)
    ordered = approved.select_related("department", "decision").order_by(
        "department__code", "-effective_from", "-number"
    )
    latest: dict[int, CatalogVersion] = {}
    for version in ordered:
        latest.setdefault(version.department_id, version)
    versions = list(latest.values())
    if with_items:
        prefetch_related_objects(versions, Prefetch("items", queryset=items_query()))
    return versions


def items_query() -> QuerySet[CatalogItem]:
    return CatalogItem.objects.order_by("code").prefetch_related("industries")


def own_versions(user: Any) -> QuerySet[CatalogVersion]:
    """A department admin's own department's versions, newest first (empty for other roles)."""
    if user.role != Role.DEPT_ADMIN or not user.department_id:
        return CatalogVersion.objects.none()
    return versions_for(user).filter(department_id=user.department_id).order_by("-number")


def pending_versions(user: Any) -> QuerySet[CatalogVersion]:
    """Versions waiting for the office's approval (submitted), oldest submission first."""
    if user.role != Role.OFFICE:
        return CatalogVersion.objects.none()
    return versions_for(user).filter(status=CatalogStatus.SUBMITTED).order_by("submitted_at", "id")


def version_items(version: CatalogVersion) -> list[CatalogItem]:
    return list(items_query().filter(version=version))
