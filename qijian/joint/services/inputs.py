"""Input gathering for the joint-visit planner: every task of a quarter, from every department and level.

Sources (docs/joint.md):
- approved quarterly plan entries of the quarter (targeted, non-random ones: random entries become
  tasks through their draws), one task per named target enterprise, the window being the entry's
  window clipped to the quarter;
- random-draw results (drawn or published draws) whose visit day falls in the quarter: one task per
  department taking part, fixed to the drawn day;
- announced superior-level inspections (active filings with a superior department) in the quarter,
  answered by the county counterpart department, fixed to the filing's days.

A task already covered (an active filing of the entry for that enterprise, or a task in a proposal
that was accepted or filed) is not planned again. A task for an enterprise that is not operating, or
of a department with no team capacity, is returned as unplannable with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from qijian.catalog.choices import InspectionMode
from qijian.catalog.models import CatalogItem
from qijian.core import calendar
from qijian.core.calendar import Quarter, local_zone
from qijian.enterprises.choices import EnterpriseStatus
from qijian.enterprises.models import Enterprise
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from qijian.joint.choices import ProposalStatus, TaskSource
from qijian.joint.models import DepartmentCapacity, ProposalTask
from qijian.joint.planner import Constraints, Task
from qijian.org.models import Department
from qijian.plans.choices import PlanKind, PlanStatus
from qijian.plans.models import PlanEntry
from qijian.policy.loader import figure
from qijian.sampling.choices import DrawStatus
from qijian.sampling.models import DrawResult

_DONE = (ProposalStatus.ACCEPTED, ProposalStatus.FILED)


@dataclass
class TaskInfo:
    """One task with the rows it came from (the planner sees only ``task``)."""

    key: str
    enterprise: Enterprise
    department: Department
    item: CatalogItem
    source: str
    window_start: dt.date
    window_end: dt.date
    inspectors: int = 2
    plan_entry: PlanEntry | None = None
    draw_result: DrawResult | None = None
    superior_filing: Filing | None = None

    @property
    def task(self) -> Task:
        return Task(
            id=self.key,
            enterprise=self.enterprise.pk,
            department=self.department.pk,
            item=self.item.code,
            earliest=self.window_start,
            latest=self.window_end,
            duration_hours=float(figure("joint.task_hours")),
            inspectors=self.inspectors,
        )

    def refs(self) -> dict[str, Any]:
        """The fields shared by ProposalTask and Unplanned rows."""
        return {
            "department": self.department,
            "item": self.item,
            "source": self.source,
            "plan_entry": self.plan_entry,
            "draw_result": self.draw_result,
            "superior_filing": self.superior_filing,
            "window_start": self.window_start,
            "window_end": self.window_end,
        }


@dataclass
class Inputs:
    tasks: list[TaskInfo]
    unplannable: list[tuple[TaskInfo, str]]
    constraints: Constraints

    @property
    def total(self) -> int:
        return len(self.tasks) + len(self.unplannable)


def gather(quarter: Quarter, *, today: dt.date | None = None) -> Inputs:
    """Every task of ``quarter``, the ones that cannot be planned with their reasons, and the constraints.

    Only days after ``today`` (default: the local date) can be planned: a filing is made before the
    inspection starts, so a window is clipped to start tomorrow at the earliest."""
    first = (today or calendar.local_today()) + dt.timedelta(days=1)
    done = _already_accepted(quarter)
    found = [_clip(t, first) for t in _all_tasks(quarter, first) if t.key not in done]
    capacity = capacities({t.department.pk for t in found})
    tasks, unplannable = [], []
    for info in found:
        reason = refusal(info, capacity, first)
        if reason:
            unplannable.append((info, reason))
        else:
            tasks.append(info)
    return Inputs(tasks, unplannable, constraints(capacity, allowed_days(quarter, tasks)))


def _all_tasks(quarter: Quarter, first: dt.date) -> Iterator[TaskInfo]:
    yield from entry_tasks(quarter)
    yield from draw_tasks(quarter, first)
    yield from superior_tasks(quarter, first)


def _clip(info: TaskInfo, first: dt.date) -> TaskInfo:
    if info.window_start < first <= info.window_end:
        info.window_start = first
    return info


def refusal(info: TaskInfo, capacity: dict[int, int], first: dt.date) -> str:
    """Why a task cannot be planned before the planner sees it ('' when it can)."""
    enterprise = info.enterprise
    if enterprise.status != EnterpriseStatus.OPERATING:
        return f"企业“{enterprise.name}”当前为“{enterprise.get_status_display()}”状态,不能入企检查"
    if capacity.get(info.department.pk, 1) <= 0:
        return f"{info.department.name}每日可派检查组数为0,无法安排检查"
    if info.window_end < first:
        return f"检查时间窗口已过(最晚{info.window_end:%Y-%m-%d}),不能再安排入企检查"
    if info.window_end < info.window_start:
        return f"检查时间窗口({info.window_start:%Y-%m-%d}至{info.window_end:%Y-%m-%d})无可安排的日期"
    return ""


# --- plan entries --------------------------------------------------------------------------------------


def _entries(quarter: Quarter) -> Iterable[PlanEntry]:
    return (
        PlanEntry.objects.filter(
            plan__status=PlanStatus.APPROVED,
            plan__kind=PlanKind.QUARTERLY,
            plan__year=quarter.year,
            plan__quarter=quarter.number,
            mode=InspectionMode.TARGETED,
        )
        .select_related("plan__department", "item")
        .prefetch_related("targets__industry", "targets__township")
        .order_by("id")
    )


def entry_tasks(quarter: Quarter) -> Iterator[TaskInfo]:
    filed = _filed_pairs(quarter)
    for entry in _entries(quarter):
        start, end = max(entry.window_start, quarter.start), min(entry.window_end, quarter.end)
        for enterprise in entry.targets.all():
            if (entry.pk, enterprise.pk) in filed:
                continue
            yield TaskInfo(
                key=f"entry:{entry.pk}:{enterprise.pk}",
                enterprise=enterprise,
                department=entry.plan.department,
                item=entry.item,
                source=TaskSource.PLAN_ENTRY,
                window_start=start,
                window_end=end,
                plan_entry=entry,
            )


def _filed_pairs(quarter: Quarter) -> set[tuple[int, int]]:
    """(plan entry, enterprise) already filed by an active filing: no need to plan them again."""
    through = Filing.enterprises.through.objects.filter(
        filing__status=FilingStatus.ACTIVE,
        filing__plan_entry__plan__year=quarter.year,
        filing__plan_entry__plan__quarter=quarter.number,
    )
    return set(through.values_list("filing__plan_entry_id", "enterprise_id"))


# --- draw results --------------------------------------------------------------------------------------


def draw_tasks(quarter: Quarter, first: dt.date) -> Iterator[TaskInfo]:
    """Drawn visits still to come (a past drawn day is done or missed: not the planner's business)."""
    results = (
        DrawResult.objects.filter(
            draw__status__in=(DrawStatus.DRAWN, DrawStatus.PUBLISHED),
            visit_on__gte=max(quarter.start, first),
            visit_on__lte=quarter.end,
        )
        .select_related("enterprise__industry", "enterprise__township", "draw")
        .prefetch_related("draw__entries__plan__department", "draw__entries__item")
        .order_by("id")
    )
    for result in results:
        for entry in sorted(result.draw.entries.all(), key=lambda e: e.pk):
            yield TaskInfo(
                key=f"draw:{result.pk}:{entry.pk}",
                enterprise=result.enterprise,
                department=entry.plan.department,
                item=entry.item,
                source=TaskSource.DRAW_RESULT,
                window_start=result.visit_on,
                window_end=result.visit_on,
                plan_entry=entry,
                draw_result=result,
            )


# --- superior-level inspections ------------------------------------------------------------------------


def superior_tasks(quarter: Quarter, first: dt.date) -> Iterator[TaskInfo]:
    """Superior inspections announced for days still to come, answered by the county counterpart."""
    zone = local_zone()
    starts = dt.datetime.combine(max(quarter.start, first), dt.time(0), tzinfo=zone)
    ends = dt.datetime.combine(quarter.end + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    filings = (
        Filing.objects.filter(status=FilingStatus.ACTIVE, superior_department__isnull=False)
        .filter(window_start__gte=starts, window_start__lt=ends)
        .select_related("department", "item")
        .prefetch_related("enterprises__industry", "enterprises__township", "inspectors")
        .order_by("id")
    )
    for filing in filings:
        start = max(filing.window_start.astimezone(zone).date(), quarter.start)
        end = min(filing.window_end.astimezone(zone).date(), quarter.end)
        for enterprise in filing.enterprises.all():
            yield TaskInfo(
                key=f"superior:{filing.pk}:{enterprise.pk}",
                enterprise=enterprise,
                department=filing.department,
                item=filing.item,
                source=TaskSource.SUPERIOR_FILING,
                window_start=start,
                window_end=end,
                inspectors=max(1, len(filing.inspectors.all())),
                superior_filing=filing,
            )


# --- accepted already; capacities and constraints -------------------------------------------------------


def task_key(row: Any) -> str:
    """The key of a ProposalTask/Unplanned row, as ``TaskInfo.key`` names it."""
    enterprise = row.proposal.enterprise_id if isinstance(row, ProposalTask) else row.enterprise_id
    if row.source == TaskSource.DRAW_RESULT:
        return f"draw:{row.draw_result_id}:{row.plan_entry_id}"
    if row.source == TaskSource.SUPERIOR_FILING:
        return f"superior:{row.superior_filing_id}:{enterprise}"
    return f"entry:{row.plan_entry_id}:{enterprise}"


def _already_accepted(quarter: Quarter) -> set[str]:
    rows = ProposalTask.objects.filter(proposal__quarter=quarter.code, proposal__status__in=_DONE).select_related(
        "proposal"
    )
    return {task_key(row) for row in rows}


def default_capacity() -> int:
    return int(figure("joint.team_capacity"))


def capacities(departments: Iterable[int]) -> dict[int, int]:
    """Teams per day of each department: its own figure, or the policy's default."""
    wanted = set(departments)
    rows = DepartmentCapacity.objects.filter(department_id__in=wanted)
    own = dict(rows.values_list("department_id", "teams_per_day"))
    return {pk: own.get(pk, default_capacity()) for pk in wanted}


def allowed_days(quarter: Quarter, tasks: Iterable[TaskInfo]) -> frozenset[dt.date]:
    """The quarter's working days, plus the days already fixed by a draw or a superior department."""
    count = (quarter.end - quarter.start).days + 1
    days = {quarter.start + dt.timedelta(days=k) for k in range(count)}
    fixed = {t.window_start for t in tasks if t.source != TaskSource.PLAN_ENTRY and t.window_start == t.window_end}
    return frozenset({d for d in days if calendar.is_working_day(d)} | fixed)


def constraints(capacity: dict[int, int], days: frozenset[dt.date] | None = None) -> Constraints:
    hours = int(figure("joint.visit_end_hour")) - int(figure("joint.visit_start_hour"))
    pairs = frozenset(frozenset(str(code) for code in pair) for pair in figure("joint.incompatible_items"))
    return Constraints(
        default_capacity=dict(capacity),
        max_departments=int(figure("joint.max_departments")),
        incompatible=pairs,
        max_hours=float(hours),
        allowed_days=days,
    )
