"""Reads of the plans app, always narrowed to what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from qijian.accounts.choices import Role
from qijian.catalog import queries as catalog_queries
from qijian.catalog.models import CatalogItem
from qijian.core.models import CHANGE, VIEW
from qijian.meetings.choices import DecisionSubject
from qijian.meetings.models import Decision
from qijian.org.models import Department
from qijian.plans.choices import PlanKind, PlanStatus
from qijian.plans.models import Plan, PlanEntry, WorkReport


def plans_for(user: Any, action: str = VIEW) -> QuerySet[Plan]:
    return Plan.objects.restrict(user, action).select_related("department", "decision")


def plan_rows(user: Any) -> QuerySet[Plan]:
    """Plans for a list page, each with its number of entries (one grouped query)."""
    return plans_for(user).annotate(entry_count=Count("entries"))


def plan_entries_for(user: Any, action: str = VIEW) -> QuerySet[PlanEntry]:
    return PlanEntry.objects.restrict(user, action).select_related(
        "plan__department", "item", "implementing_department"
    )


def entries_of(user: Any, plan: Plan) -> QuerySet[PlanEntry]:
    """A plan's entries with everything the detail page and the tables print (no N+1)."""
    return (
        plan_entries_for(user)
        .filter(plan=plan)
        .select_related("item__version")
        .prefetch_related(
            Prefetch("partners", queryset=Department.objects.order_by("code")),
            "targets",
        )
        .order_by("id")
    )


def approved_entries_for_filing(user: Any, on: dt.date) -> QuerySet[PlanEntry]:
    """Entries of approved plans of the user's department whose window covers ``on`` (filings pick one)."""
    department_id = getattr(user, "department_id", None)
    if department_id is None:
        return PlanEntry.objects.none()
    return (
        plan_entries_for(user)
        .filter(plan__department_id=department_id, plan__status=PlanStatus.APPROVED)
        .filter(window_start__lte=on, window_end__gte=on)
        .order_by("window_start", "id")
    )


def entry_is_approved(entry: PlanEntry) -> bool:
    return bool(entry.plan.status == PlanStatus.APPROVED)


def entry_in_scope(user: Any, pk: int, action: str = VIEW) -> PlanEntry | None:
    return plan_entries_for(user, action).filter(pk=pk).first()


def work_reports_for(user: Any) -> QuerySet[WorkReport]:
    return WorkReport.objects.restrict(user, VIEW).select_related("department", "submitted_by")


def catalog_items_for(plan: Plan, on: dt.date | None = None) -> QuerySet[CatalogItem]:
    """Items an entry of ``plan`` may name: the department's effective catalog (annual plan: random
    items of every department's effective catalog) on ``on`` (default: the period's first day)."""
    from qijian.plans import periods

    day = on or periods.plan_period(plan)[0]
    if plan.kind == PlanKind.QUARTERLY:
        return catalog_queries.effective_items(plan.department_id, day).select_related("version").order_by("code")
    ids = [version.pk for version in catalog_queries.effective_catalogs(day)]
    qs = CatalogItem.objects.filter(version_id__in=ids, mode="random")
    return qs.select_related("version__department").order_by("version__department__code", "code")


def decisions_for(plan: Plan) -> QuerySet[Decision]:
    subject = DecisionSubject.PLAN if plan.kind == PlanKind.QUARTERLY else DecisionSubject.ANNUAL_RANDOM_PLAN
    return Decision.objects.filter(subject=subject).select_related("meeting").order_by("-recorded_at")


def partner_departments(plan: Plan) -> QuerySet[Department]:
    return Department.objects.filter(is_enforcement=True).exclude(pk=plan.department_id).order_by("level", "code")


def implementing_departments() -> QuerySet[Department]:
    return Department.objects.exclude(level="county").order_by("level", "code")


def is_author(user: Any, plan: Plan) -> bool:
    """The plan's own department: its dept_admin, or for the annual random plan the random coordinator."""
    role = Role.RANDOM_COORDINATOR if plan.kind == PlanKind.ANNUAL_RANDOM else Role.DEPT_ADMIN
    return bool(user.role == role and user.department_id == plan.department_id)


def can_edit(user: Any, plan: Plan) -> bool:
    from qijian.plans.services import EDITABLE

    return plan.status in EDITABLE and is_author(user, plan)


def changeable(user: Any) -> QuerySet[Plan]:
    return plans_for(user, CHANGE)
