"""Plan services: errors, who may do what, creating plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse

from qijian.accounts.choices import Role
from qijian.audit.services import record_event, snapshot
from qijian.core import calendar
from qijian.org.models import Department
from qijian.plans import periods
from qijian.plans.choices import PlanKind, PlanStatus
from qijian.plans.models import Plan

EDITABLE = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})
ENTRY_FIELDS = (
    "item",
    "window_start",
    "window_end",
    "expected_count",
    "basis",
    "method",
    "joint",
    "partners",
    "targets",
    "target_rule",
    "note",
    "level",
    "implementing_department",
    "multi_level_joint",
    "participants",
    "township_notice",
    "acceptance_plan",
)
_TEXT_LIMITS = {  # field: (label, max length)
    "basis": ("检查依据", 255),
    "target_rule": ("抽查范围与比例", 255),
    "note": ("备注", 255),
    "participants": ("参与层级及部门", 255),
    "township_notice": ("属地政府通知情况", 255),
    "acceptance_plan": ("验收勘察安排", 255),
}


class PlanError(ValueError):
    """A plan action that is not allowed; the message is for the user (Chinese)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _today() -> dt.date:
    return calendar.local_today()


def _link(plan: Plan) -> str:
    return reverse("plans:plan_detail", args=[plan.pk])


# --- who may do what ----------------------------------------------------------------------------------


def _role(actor: Any) -> str | None:
    return getattr(actor, "role", None)


def _require_editor(actor: Any, plan: Plan) -> None:
    if plan.kind == PlanKind.ANNUAL_RANDOM:
        if _role(actor) != Role.RANDOM_COORDINATOR:
            raise PlanError("年度双随机检查计划由县市场监管局(双随机牵头)编制。")
    elif _role(actor) != Role.DEPT_ADMIN or actor.department_id != plan.department_id:
        raise PlanError("只有本部门管理员可以编制本部门的季度检查计划。")


def _require_editable(actor: Any, plan: Plan) -> None:
    _require_editor(actor, plan)
    if plan.status not in EDITABLE:
        raise PlanError(f"计划当前状态为“{plan.get_status_display()}”,只有草稿或已退回的计划可以修改。")


def _require_office(actor: Any, what: str) -> None:
    if _role(actor) != Role.OFFICE:
        raise PlanError(f"只有联席会议办公室可以{what}。")


# --- plans --------------------------------------------------------------------------------------------


def _check_new_plan(actor: Any, department: Department, year: int, quarter: int | None, kind: str) -> None:
    if kind == PlanKind.ANNUAL_RANDOM:
        if _role(actor) != Role.RANDOM_COORDINATOR or actor.department_id != department.pk:
            raise PlanError("年度双随机检查计划由县市场监管局(双随机牵头)为本部门编制。")
        if quarter is not None:
            raise PlanError("年度双随机检查计划不分季度。")
    else:
        if _role(actor) != Role.DEPT_ADMIN or actor.department_id != department.pk:
            raise PlanError("只有本部门管理员可以编制本部门的季度检查计划。")
        if quarter not in (1, 2, 3, 4):
            raise PlanError("请选择季度(1–4)。")
    if not 2000 <= year <= 2100:
        raise PlanError("年度不正确。")
    if Plan.objects.filter(kind=kind, department=department, year=year, quarter=quarter).exists():
        raise PlanError(f"{department}{periods.period_label(year, quarter)}的检查计划已存在。")


@transaction.atomic
def create_plan(
    *, actor: Any, department: Department, year: int, quarter: int | None, kind: str = PlanKind.QUARTERLY
) -> Plan:
    kind = PlanKind(kind)
    _check_new_plan(actor, department, year, quarter, kind)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(kind=kind, department=department, year=year, quarter=quarter)
    except IntegrityError as exc:  # a concurrent request created it first
        raise PlanError(f"{department}{periods.period_label(year, quarter)}的检查计划已存在。") from exc
    record_event(actor=actor, action="plans.create_plan", target=plan, after=snapshot(plan))
    return plan
