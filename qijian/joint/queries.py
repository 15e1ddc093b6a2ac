"""Reads of the joint-visit workflow: proposals, unplannable tasks, runs, calendars and the joint share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from qijian.catalog.choices import InspectionMode
from qijian.core.models import VIEW
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from qijian.joint.choices import Answer, ProposalStatus
from qijian.joint.models import DepartmentCapacity, PlanningRun, Proposal, ProposalTask, Unplanned
from qijian.org.models import Department
from qijian.policy.loader import figure


def _with_tasks(rows: QuerySet[Proposal]) -> QuerySet[Proposal]:
    tasks = ProposalTask.objects.select_related("department", "item", "answered_by").order_by("department_id", "id")
    return rows.select_related("enterprise", "lead_department", "filing", "run").prefetch_related(
        Prefetch("tasks", queryset=tasks)
    )


def proposals_for(user: Any, action: str = VIEW) -> QuerySet[Proposal]:
    return _with_tasks(Proposal.objects.restrict(user, action))


def visible_proposal(user: Any, pk: int) -> Proposal | None:
    return proposals_for(user).filter(pk=pk).first()


def unplanned_for(user: Any) -> QuerySet[Unplanned]:
    rows = Unplanned.objects.restrict(user, VIEW).select_related("enterprise", "department", "item", "run")
    return rows.order_by("-run__ran_at", "enterprise_id", "id")


def latest_run(quarter: str | None = None) -> PlanningRun | None:
    rows = PlanningRun.objects.all()
    return (rows.filter(quarter=quarter) if quarter else rows).order_by("-ran_at", "-id").first()


def runs_for(user: Any) -> QuerySet[PlanningRun]:
    return PlanningRun.objects.restrict(user, VIEW).select_related("run_by")


def calendar_of(user: Any, enterprise_id: int) -> list[Proposal]:
    """Planned joint visits of one enterprise the user may see, by day (superseded ones left out)."""
    rows = proposals_for(user).filter(enterprise_id=enterprise_id).exclude(status=ProposalStatus.SUPERSEDED)
    return list(rows.order_by("day", "id"))


def pending_department_ids(proposal: Proposal) -> set[int]:
    return {t.department_id for t in proposal.tasks.all() if t.answer == Answer.PENDING}


def can_answer(user: Any, proposal: Proposal) -> bool:
    mine = [t for t in proposal.tasks.all() if t.department_id == getattr(user, "department_id", None)]
    return bool(mine) and proposal.status == ProposalStatus.PROPOSED and user.role == "dept_admin"


def capacities_for(user: Any) -> list[tuple[Department, int, DepartmentCapacity | None]]:
    """(department, teams per day, own row or None) of the county departments the user may set."""
    from qijian.joint.services.inputs import default_capacity

    departments = Department.objects.filter(level="county", is_enforcement=True).order_by("code")
    if user.role == "dept_admin":
        departments = departments.filter(pk=user.department_id)
    own = {row.department_id: row for row in DepartmentCapacity.objects.restrict(user, VIEW)}
    return [(d, own[d.pk].teams_per_day if d.pk in own else default_capacity(), own.get(d.pk)) for d in departments]


# --- the joint share (联合检查占比, mechanism 2) --------------------------------------------------------


def share_for(user: Any, year: int) -> tuple[Share, list[Share]]:
    """The county's joint share and the departments' the user may see (a department admin: its own)."""
    from qijian.accounts.choices import Role
    from qijian.org.models import Department

    county, departments = joint_share(year)
    if getattr(user, "role", None) == Role.DEPT_ADMIN:
        mine = Department.objects.filter(pk=user.department_id).values_list("name", flat=True).first()
        departments = [row for row in departments if row.label == mine]
    return county, departments


def year_of(text: str) -> int:
    """A year typed in a query string, or this year (an unreadable or far-off one falls back too)."""
    from qijian.core import calendar

    today = calendar.local_today()
    return (
        int(text)
        if text.isascii() and text.isdigit() and len(text) <= 4 and 2000 <= int(text) <= today.year + 5
        else today.year
    )


def target_share(year: int) -> float:
    """The policy's path: +yearly_increase a year from start_year (its first year included), up to target."""
    start = int(figure("joint_ratio.start_year"))
    if year < start:
        return 0.0
    step, target = float(figure("joint_ratio.yearly_increase")), float(figure("joint_ratio.target"))
    return round(min(target, step * (year - start + 1)), 4)


@dataclass(frozen=True)
class Share:
    label: str
    total: int
    joint: int
    target: float

    @property
    def share(self) -> float:
        return round(self.joint / self.total, 4) if self.total else 0.0

    @property
    def met(self) -> bool:
        return self.total > 0 and self.share >= self.target

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.1f}%"

    @property
    def target_percent(self) -> str:
        return f"{self.target * 100:.0f}%"


def targeted_filings(year: int) -> QuerySet[Filing]:
    """The county's targeted (non-random) inspections of ``year``: active filings not from a random plan
    entry, neither a superior department's inspection nor an acceptance visit after one."""
    random = Q(plan_entry__mode=InspectionMode.RANDOM)
    return (
        Filing.objects.filter(status=FilingStatus.ACTIVE, window_start__year=year)
        .exclude(random)
        .filter(superior_department__isnull=True, acceptance_of__isnull=True)
    )


def county_share(year: int) -> Share:
    """The county's share: each targeted filing once (two aggregate queries' worth: one)."""
    counts = targeted_filings(year).aggregate(total=Count("id"), joint=Count("id", filter=Q(joint=True)))
    return Share("全县", counts["total"], counts["joint"], target_share(year))


def joint_share(year: int) -> tuple[Share, list[Share]]:
    """The county's share and each department's: a department's inspections are the filings it leads plus
    the joint filings it takes part in as a partner. Aggregated in the database (no rows loaded)."""
    targeted = targeted_filings(year)
    total, joint = Counter[int](), Counter[int]()
    led = targeted.values("department_id").annotate(n=Count("id"), j=Count("id", filter=Q(joint=True)))
    for row in led.order_by():
        total[row["department_id"]] += row["n"]
        joint[row["department_id"]] += row["j"]
    through = Filing.partners.through.objects.filter(filing__in=targeted.filter(joint=True))
    for row in through.values("department_id").annotate(n=Count("filing_id", distinct=True)).order_by():
        total[row["department_id"]] += row["n"]
        joint[row["department_id"]] += row["n"]
    target = target_share(year)
    names = dict(Department.objects.filter(pk__in=list(total)).values_list("pk", "name"))
    per = [Share(names[d], total[d], joint[d], target) for d in sorted(total, key=lambda d: names[d])]
    return county_share(year), per
