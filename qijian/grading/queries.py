"""Reads of the grading app, always narrowed to what the user may see (GradeList.scope_q)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from qijian.core.models import VIEW
from qijian.enterprises.choices import Grade
from qijian.enterprises.models import Enterprise
from qijian.grading.choices import IndicatorGroup, ListStatus
from qijian.grading.models import GradeEntry, GradeList
from qijian.meetings.choices import DecisionSubject
from qijian.meetings.models import Decision

GROUP_LABELS = dict(IndicatorGroup.choices)


def lists_for(user: Any) -> QuerySet[GradeList]:
    counts = {f"n_{g}": Count("entries", filter=Q(entries__grade=g)) for g in Grade.values}
    return (
        GradeList.objects.restrict(user, VIEW)
        .select_related("decision", "produced_by")
        .annotate(n_total=Count("entries"), **counts)
        .order_by("-year")
    )


def entries_for(user: Any) -> QuerySet[GradeEntry]:
    return GradeEntry.objects.restrict(user, VIEW).select_related(
        "enterprise", "enterprise__township", "grade_list", "overridden_by"
    )


def in_force_list() -> GradeList | None:
    return GradeList.objects.filter(status=ListStatus.IN_FORCE).order_by("-year").first()


def focus_entries(user: Any) -> QuerySet[GradeEntry]:
    """C类企业重点监管名单: the C entries of the list in force (directed plus random sampling)."""
    current = in_force_list()
    if current is None:
        return GradeEntry.objects.none()
    return entries_for(user).filter(grade_list=current, focus=True).order_by("enterprise_id")


def grading_decisions() -> QuerySet[Decision]:
    """Joint-meeting decisions on the grade list not yet used to approve one."""
    return (
        Decision.objects.filter(subject=DecisionSubject.GRADING, grade_lists__isnull=True)
        .select_related("meeting")
        .order_by("-recorded_at")
    )


def contribution_rows(entry: GradeEntry) -> list[dict[str, Any]]:
    """The explanation's indicators, worst first, with their group's Chinese name."""
    rows = [dict(c, group_label=GROUP_LABELS.get(c["group"], c["group"])) for c in entry.explanation["contributions"]]
    return sorted(rows, key=lambda c: (-c["lost"], c["code"]))


def mover_labels(entry: GradeEntry) -> list[str]:
    """Short text of what moved the grade: the indicators that cost the most points or capped it."""
    by_code = {c["code"]: c for c in entry.explanation.get("contributions", [])}
    out = []
    for code in entry.explanation.get("movers", []):
        c = by_code[code]
        cap = f",封顶{c['cap']}类" if c["cap"] and code in entry.explanation.get("capped_by", []) else ""
        out.append(f"{c['label']} -{c['lost']:g}分{cap}")
    return out


def enterprises_all() -> QuerySet[Enterprise]:
    """The registry, for searching a list the user may already read (entries carry the scope)."""
    return Enterprise.objects.all()
