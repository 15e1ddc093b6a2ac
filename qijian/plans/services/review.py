"""Plan services: review, approval by a meeting decision, return with comments."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from qijian.accounts.choices import Role
from qijian.audit.services import record_event, snapshot
from qijian.core.notify import notify_role
from qijian.meetings.choices import DecisionSubject
from qijian.meetings.models import Decision
from qijian.plans.choices import PlanKind, PlanStatus, ReviewStatus
from qijian.plans.models import Plan
from qijian.plans.services.base import PlanError, _link, _now, _require_office, _role
from qijian.plans.services.submission import _dept, _editor_role

# --- review, approval, return -------------------------------------------------------------------------

_PART_BY_ROLE = {Role.RANDOM_COORDINATOR: "random", Role.SUPERVISOR: "targeted"}


def _reviewable_part(actor: Any, plan: Plan) -> str:
    part = _PART_BY_ROLE.get(_role(actor))  # type: ignore[call-overload]
    if part is None:
        raise PlanError("只有县市场监管局(双随机事项)或县司法局(非双随机事项)可以审核计划。")
    if plan.status != PlanStatus.SUBMITTED:
        raise PlanError(f"计划当前状态为“{plan.get_status_display()}”,不在待审核状态。")
    if getattr(plan, f"{part}_review") != ReviewStatus.PENDING:
        raise PlanError("本计划没有待您审核的事项。")
    return part


def _reviews_done(plan: Plan) -> bool:
    done = {ReviewStatus.PASSED, ReviewStatus.NOT_NEEDED}
    return plan.random_review in done and plan.targeted_review in done


@transaction.atomic
def review_plan(*, actor: Any, plan: Plan, passed: bool, comment: str = "") -> Plan:
    """The random coordinator reviews the random part, the supervisor the targeted part."""
    part = _reviewable_part(actor, plan)
    comment = comment.strip()
    if not passed and not comment:
        raise PlanError("退回计划须填写退回意见。")
    before = snapshot(plan)
    setattr(plan, f"{part}_review", ReviewStatus.PASSED if passed else ReviewStatus.RETURNED)
    setattr(plan, f"{part}_reviewed_by", actor)
    setattr(plan, f"{part}_reviewed_at", _now())
    if not passed:
        plan.status, plan.return_comment = PlanStatus.RETURNED, comment
    elif _reviews_done(plan):
        plan.status = PlanStatus.REVIEWED
    plan.save()
    record_event(
        actor=actor, action="plans.review_plan", target=plan, before=before, after=snapshot(plan) | {"comment": comment}
    )
    _notify_reviewed(plan, comment)
    return plan


def _notify_reviewed(plan: Plan, comment: str) -> None:
    if plan.status == PlanStatus.RETURNED:
        _notify_returned(plan, comment)
    elif plan.status == PlanStatus.REVIEWED:
        notify_role(role=Role.OFFICE, title=f"{plan}已审核通过,待联席会议审定", link=_link(plan))


def _notify_returned(plan: Plan, comment: str) -> None:
    notify_role(role=_editor_role(plan), title=f"{plan}被退回", body=comment, link=_link(plan), **_dept(plan))


def is_approvable(plan: Plan) -> bool:
    """Ready for the office's approval: reviewed (the annual random plan: submitted, its review passed)."""
    if plan.status == PlanStatus.REVIEWED:
        return True
    return plan.kind == PlanKind.ANNUAL_RANDOM and plan.status == PlanStatus.SUBMITTED and _reviews_done(plan)


_SUBJECT = {PlanKind.QUARTERLY: DecisionSubject.PLAN, PlanKind.ANNUAL_RANDOM: DecisionSubject.ANNUAL_RANDOM_PLAN}


@transaction.atomic
def approve_plan(*, actor: Any, plan: Plan, decision: Decision) -> Plan:
    _require_office(actor, "审定检查计划")
    if not is_approvable(plan):
        raise PlanError(f"计划当前状态为“{plan.get_status_display()}”,须审核通过后才能审定。")
    wanted = _SUBJECT[PlanKind(plan.kind)]
    if decision.subject != wanted:
        raise PlanError(f"请选择事项类别为“{wanted.label}”的会议决定。")
    before = snapshot(plan)
    plan.status, plan.decision, plan.approved_at = PlanStatus.APPROVED, decision, _now()
    plan.save(update_fields=["status", "decision", "approved_at", "updated_at"])
    record_event(actor=actor, action="plans.approve_plan", target=plan, before=before, after=snapshot(plan))
    body = f"依据会议决定 {decision.number}"
    notify_role(role=_editor_role(plan), title=f"{plan}已审定", body=body, link=_link(plan), **_dept(plan))
    return plan


@transaction.atomic
def return_plan(*, actor: Any, plan: Plan, comment: str) -> Plan:
    """The office returns a submitted or reviewed plan with comments."""
    _require_office(actor, "退回已审核的计划")
    comment = comment.strip()
    if not comment:
        raise PlanError("退回计划须填写退回意见。")
    if plan.status not in (PlanStatus.SUBMITTED, PlanStatus.REVIEWED):
        raise PlanError(f"计划当前状态为“{plan.get_status_display()}”,不能退回。")
    before = snapshot(plan)
    plan.status, plan.return_comment = PlanStatus.RETURNED, comment
    plan.save(update_fields=["status", "return_comment", "updated_at"])
    record_event(actor=actor, action="plans.return_plan", target=plan, before=before, after=snapshot(plan))
    _notify_returned(plan, comment)
    return plan
