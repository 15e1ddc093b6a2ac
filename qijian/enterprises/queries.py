"""Reads of the enterprise registry, always narrowed to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from qijian.core.models import VIEW
from qijian.core.pagination import estimated_rows
from qijian.enterprises.choices import Grade
from qijian.enterprises.models import Enterprise, Industry


def enterprises_for(user: Any) -> QuerySet[Enterprise]:
    return Enterprise.objects.restrict(user, VIEW).select_related("township", "industry")


def industry_choices() -> QuerySet[Industry]:
    """GB/T 4754 sections (门类) and divisions (大类): the levels a list is filtered by."""
    return Industry.objects.filter(Q(parent__isnull=True) | Q(parent__parent__isnull=True)).order_by("code")


def industry_subtree(industry: Industry) -> QuerySet[Industry]:
    """Ids of an industry and everything under it (four GB/T 4754 levels), as a subquery."""
    tree = Q(pk=industry.pk) | Q(parent=industry) | Q(parent__parent=industry) | Q(parent__parent__parent=industry)
    return Industry.objects.filter(tree).values("pk")


def search_enterprises(qs: QuerySet[Enterprise], text: str) -> QuerySet[Enterprise]:
    """A credit-code prefix when the text is letters and digits, otherwise a name substring.

    Both are index-backed on PostgreSQL: the code's varchar_pattern_ops index serves the prefix,
    the trigram GIN index on the name serves the substring (docs/pages.md).
    """
    text = text.strip()
    if text.isascii() and text.isalnum():
        return qs.filter(uscc__startswith=text.upper())
    return qs.filter(name__contains=text)


def estimated_total() -> int | None:
    return estimated_rows(Enterprise)


def grade_distribution() -> dict[str, int]:
    """How many enterprises hold each grade (one grouped query over the grade index)."""
    counts = {row["grade"]: row["n"] for row in Enterprise.objects.values("grade").annotate(n=Count("id"))}
    return {label: counts.get(value, 0) for value, label in Grade.choices}
