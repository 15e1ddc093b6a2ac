"""run_planner: the office plans a quarter's joint visits (综合查一次)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import transaction
from django.urls import reverse

from qijian.accounts.choices import Role
from qijian.audit.services import record_event
from qijian.core import calendar
from qijian.core.calendar import Quarter
from qijian.core.notify import notify_role
from qijian.joint.choices import ProposalStatus, TaskSource
from qijian.joint.models import PlanningRun, Proposal, ProposalTask, Unplanned
from qijian.joint.planner import ALGORITHM_VERSION, PlanResult, Visit, plan_visits
from qijian.joint.services.errors import JointError
from qijian.joint.services.inputs import Inputs, TaskInfo, gather


def _require_office(actor: Any) -> None:
    if getattr(actor, "role", None) != Role.OFFICE:
        raise JointError("只有联席会议办公室可以运行联合检查规划。")


def _check_quarter(quarter: Quarter, today: dt.date) -> None:
    if quarter.year > today.year + 2:
        raise JointError(f"{quarter.label}太远,只能规划两年内的季度。")
    if quarter.end < today:
        raise JointError(f"{quarter.label}已结束,不能再规划联合检查。")


@transaction.atomic
def run_planner(*, actor: Any, quarter: Quarter, today: dt.date | None = None) -> PlanningRun:
    """Gather every task of the quarter, plan the joint visits, save them as proposals for the departments.

    Proposals of an earlier run still waiting for answers are superseded; accepted and filed ones stay
    (their tasks are not planned again). Unplannable tasks are saved with the reason."""
    _require_office(actor)
    day = today or calendar.local_today()
    _check_quarter(quarter, day)
    inputs = gather(quarter, today=day)
    result = plan_visits([t.task for t in inputs.tasks], inputs.constraints)
    superseded = _supersede(quarter)
    run = _save_run(actor, quarter, inputs, result)
    by_key = {t.key: t for t in inputs.tasks}
    proposals = [_save_proposal(run, visit, by_key) for visit in result.visits]
    _save_unplanned(run, inputs, result, by_key)
    record_event(actor=actor, action="joint.run_planner", target=run, after=_summary(run) | {"superseded": superseded})
    _notify_departments(run, proposals)
    return run


def _supersede(quarter: Quarter) -> int:
    waiting = Proposal.objects.filter(quarter=quarter.code, status=ProposalStatus.PROPOSED)
    return waiting.update(status=ProposalStatus.SUPERSEDED)


def _save_run(actor: Any, quarter: Quarter, inputs: Inputs, result: PlanResult) -> PlanningRun:
    return PlanningRun.objects.create(
        quarter=quarter.code,
        run_by=actor,
        ran_at=dt.datetime.now(dt.UTC),
        algorithm_version=ALGORITHM_VERSION,
        task_count=inputs.total,
        tasks_planned=result.tasks_planned,
        visit_count=len(result.visits),
        lower_bound=result.lower_bound,
        visits_saved=max(result.saved, 0),
        unplannable_count=len(inputs.unplannable) + len(result.unplannable),
    )


def lead_of(tasks: list[TaskInfo]) -> TaskInfo:
    """The lead task: its department leads the visit and files it. A department with the most tasks,
    preferring one whose task comes from its own plan entry (the filing's entry), then the lowest id."""
    counts = Counter(t.department.pk for t in tasks)

    def rank(t: TaskInfo) -> tuple[int, int, int]:
        return (-counts[t.department.pk], t.source != TaskSource.PLAN_ENTRY, t.department.pk)

    return min(tasks, key=rank)


def _save_proposal(run: PlanningRun, visit: Visit, by_key: dict[str, TaskInfo]) -> Proposal:
    tasks = [by_key[str(key)] for key in visit.tasks]
    lead = lead_of(tasks)
    proposal = Proposal.objects.create(
        run=run, quarter=run.quarter, enterprise=lead.enterprise, day=visit.day, lead_department=lead.department
    )
    ProposalTask.objects.bulk_create(
        [ProposalTask(proposal=proposal, inspectors=t.inspectors, **t.refs()) for t in tasks]
    )
    return proposal


def _save_unplanned(run: PlanningRun, inputs: Inputs, result: PlanResult, by_key: dict[str, TaskInfo]) -> None:
    rows = [(info, reason) for info, reason in inputs.unplannable]
    rows += [(by_key[str(u.task)], u.reason) for u in result.unplannable]
    Unplanned.objects.bulk_create(
        [Unplanned(run=run, enterprise=info.enterprise, reason=reason[:255], **info.refs()) for info, reason in rows]
    )


def _summary(run: PlanningRun) -> dict[str, Any]:
    return {
        "quarter": run.quarter,
        "algorithm_version": run.algorithm_version,
        "tasks": run.task_count,
        "visits": run.visit_count,
        "lower_bound": run.lower_bound,
        "visits_saved": run.visits_saved,
        "unplannable": run.unplannable_count,
    }


def _notify_departments(run: PlanningRun, proposals: list[Proposal]) -> None:
    departments = Counter(ProposalTask.objects.filter(proposal__in=proposals).values_list("department_id", flat=True))
    link = reverse("joint:proposal_list")
    for department_id, count in sorted(departments.items()):
        notify_role(
            role=Role.DEPT_ADMIN,
            department_id=department_id,
            title=f"{run.quarter} 联合检查建议待确认({count} 项检查任务)",
            body="联席会议办公室已生成下季度“综合查一次”联合检查建议,请逐项确认同意或说明拒绝理由。",
            link=link,
        )
