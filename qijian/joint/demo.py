"""Demo joint visits (综合查一次) for 2027 Q1 in the demo county.

Four county departments that have no 2027 Q1 plan yet (县市场监管局 first, whose admin is the demo's
``dept_scjg``) get approved Q1 plans through the plans services, each with one targeted entry naming
overlapping enterprises, approved at the 2026 Q4 joint meeting (submitted "as of" the first day of
the window, stamps moved back as the plans demo does). The fourth department reports no team
capacity for the quarter (``set_capacity`` 0), so its task is unplannable with the reason. The office
then runs the planner; of the proposals, the first two are accepted by every department (and become
joint filings), the third is declined with a reason, the fourth is accepted by one department only,
the rest wait. Idempotent: nothing happens once a 2027 Q1 run exists. Runs after the sampling demo.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from qijian.catalog import queries as catalog_queries
from qijian.catalog.models import CatalogItem
from qijian.core import calendar
from qijian.core.calendar import Quarter
from qijian.joint import services
from qijian.joint.models import PlanningRun, Proposal
from qijian.plans import services as plan_services
from qijian.plans.demo import _admin, _backdate, _decision, _review, _user, as_of
from qijian.plans.models import Plan

QUARTER = Quarter(2027, 1)
MEETING = (
    "2026年第四季度涉企行政检查工作联席会议",
    dt.date(2026, 12, 29),
    "审定各部门2027年第一季度涉企行政检查计划。",
)
FIRST = "130921-SCJGJ"
DEPARTMENTS = 4
TARGETS = 8
# (first target, number of targets, window start day, window length) of each department's entry.
SHAPES = ((0, 6, 10, 30), (2, 6, 19, 40), (0, 4, 31, 40), (1, 1, 40, 20))
DECLINE_REASON = "该企业本季度已列入安全生产专项整治,另行安排检查,本次不参加联合检查"


def _departments() -> list[tuple[Any, CatalogItem]]:
    from qijian.org.models import Department

    county = Department.objects.filter(level="county", is_enforcement=True).order_by("code")
    chosen = []
    for department in sorted(county, key=lambda d: (d.code != FIRST, d.code)):
        item = _item(department)
        if item is not None and _admin(department) is not None and not _has_plan(department):
            chosen.append((department, item))
    return chosen[:DEPARTMENTS]


def _item(department: Any) -> CatalogItem | None:
    items = catalog_queries.effective_items(department.pk, QUARTER.start).filter(mode="targeted")
    return items.select_related("version").order_by("code").first()


def _has_plan(department: Any) -> bool:
    return Plan.objects.filter(department=department, year=QUARTER.year, quarter=QUARTER.number).exists()


def _targets(items: list[CatalogItem]) -> list[Any]:
    from qijian.enterprises.models import Enterprise

    candidates = Enterprise.objects.filter(status="operating").select_related("industry").order_by("id")[:3000]
    return [e for e in candidates if all(catalog_queries.applies_to(i, e) for i in items)][:TARGETS]


def _plan(department: Any, item: CatalogItem, targets: list[Any], shape: tuple[int, int, int, int]) -> Plan:
    first, count, start, length = shape
    admin = _admin(department)
    plan = plan_services.create_plan(actor=admin, department=department, year=QUARTER.year, quarter=QUARTER.number)
    plan_services.add_entry(
        actor=admin,
        plan=plan,
        item=item,
        window_start=QUARTER.start + dt.timedelta(days=start),
        window_end=QUARTER.start + dt.timedelta(days=start + length),
        expected_count=len(targets[first : first + count]),
        targets=targets[first : first + count],
        note="按“综合查一次”原则,与其他部门同一企业的检查合并开展",
    )
    plan_services.submit_plan(actor=admin, plan=plan)
    _review(plan)
    return plan


def _approved_plans(chosen: list[tuple[Any, CatalogItem]]) -> None:
    targets = _targets([item for _d, item in chosen])
    decision = _decision(MEETING, "plan")
    opens = calendar.plan_window(QUARTER).opens
    with as_of(opens):
        plans = [_plan(d, item, targets, shape) for (d, item), shape in zip(chosen, SHAPES, strict=False)]
    with as_of(MEETING[1]):
        for plan in plans:
            plan_services.approve_plan(actor=_user("office"), plan=plan, decision=decision)
    for plan in plans:
        _backdate(plan, opens, MEETING[1])


def _answer_all(proposal: Proposal, *, only: int | None = None) -> None:
    departments = sorted({t.department for t in proposal.tasks.select_related("department")}, key=lambda d: d.pk)
    for department in departments[:only]:
        services.answer_proposal(actor=_admin(department), proposal=proposal, accept=True)


def _answers() -> None:
    proposals = list(
        Proposal.objects.filter(quarter=QUARTER.code, status="proposed").order_by("day", "id").prefetch_related("tasks")
    )
    joint = [p for p in proposals if len({t.department_id for t in p.tasks.all()}) > 1]
    for proposal in joint[:2]:
        _answer_all(proposal)
    if len(joint) > 2:
        task = joint[2].tasks.order_by("-department_id").first()
        assert task is not None
        services.answer_proposal(actor=_admin(task.department), proposal=joint[2], accept=False, reason=DECLINE_REASON)
    if len(joint) > 3:
        _answer_all(joint[3], only=1)


def load_demo() -> None:
    """Build the demo's 2027 Q1 joint visits (needs the core, meetings, catalog and plans demos)."""
    if PlanningRun.objects.filter(quarter=QUARTER.code).exists():
        return
    chosen = _departments()
    if len(chosen) < 2:
        return
    _approved_plans(chosen)
    if len(chosen) == DEPARTMENTS:
        services.set_capacity(actor=_user("office"), department=chosen[-1][0], teams_per_day=0)
    services.run_planner(actor=_user("office"), quarter=QUARTER)
    _answers()
