"""Plan services: submission in the policy's window, extensions, R11 on late plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from qijian.accounts.choices import Role
from qijian.audit.services import record_event, snapshot
from qijian.core import calendar
from qijian.core.notify import notify_role
from qijian.oversight import rules
from qijian.oversight.services import raise_alert
from qijian.plans import periods
from qijian.plans.choices import PlanKind, PlanStatus, ReviewStatus
from qijian.plans.models import Plan
from qijian.plans.services.base import EDITABLE, PlanError, _link, _now, _require_editable, _require_office, _today

# --- submission ---------------------------------------------------------------------------------------


def _extension_active(plan: Plan) -> bool:
    until = plan.extension_until
    return until is not None and _today() <= until.astimezone(calendar.local_zone()).date()


def _raise_r11_plan(plan: Plan, actor: Any, submitted_on: dt.date | None) -> None:
    window = periods.submission_window(plan)
    finding = rules.not_submitted_in_window(
        what=str(plan), closes=window.closes, today=_today(), submitted_on=submitted_on
    )
    if finding is not None:
        key = periods.plan_alert_key(plan.department_id, plan.year, plan.quarter)
        raise_alert(finding=finding, key=key, actor=actor, department=plan.department, plan=plan)


def _submission_lateness(actor: Any, plan: Plan) -> bool:
    """True when the submission is late but allowed (an extension); refuses outside the window."""
    if plan.submitted_at is not None:
        return plan.late  # a returned plan is resubmitted whenever it is fixed; its lateness was judged
    window, today = periods.submission_window(plan), _today()
    if today < window.opens:
        raise PlanError(f"未到报送时间(报送期为{window.label})。")
    if today <= window.closes:
        return False
    if _extension_active(plan):
        return True
    _raise_r11_plan(plan, actor, None)  # the breach is recorded although the submission is refused
    raise PlanError(f"报送期已于{window.closes:%Y年%m月%d日}截止,未经联席会议办公室批准延期,不能报送;已记录逾期预警。")


def _check_submittable(actor: Any, plan: Plan) -> None:
    _require_editable(actor, plan)
    if not plan.entries.exists():
        raise PlanError("计划至少应有一个条目才能报送。")


def submit_plan(*, actor: Any, plan: Plan) -> Plan:
    """Submit in the window (or within an office-granted extension: late, with an R11 alert)."""
    _check_submittable(actor, plan)
    late = _submission_lateness(actor, plan)
    return _submit(actor, plan, late)


def _review_state(plan: Plan, mode: str) -> str:
    return ReviewStatus.PENDING if plan.entries.filter(mode=mode).exists() else ReviewStatus.NOT_NEEDED


@transaction.atomic
def _submit(actor: Any, plan: Plan, late: bool) -> Plan:
    before = snapshot(plan)
    now = _now()
    plan.status, plan.return_comment, plan.late = PlanStatus.SUBMITTED, "", late
    plan.submitted_at = plan.submitted_at or now
    plan.submitted_by = actor
    plan.random_review, plan.targeted_review = _review_state(plan, "random"), _review_state(plan, "targeted")
    plan.random_reviewed_by = plan.targeted_reviewed_by = None
    plan.random_reviewed_at = plan.targeted_reviewed_at = None
    if plan.kind == PlanKind.ANNUAL_RANDOM:  # its author is the random reviewer: the random part passes
        plan.random_review, plan.random_reviewed_by, plan.random_reviewed_at = ReviewStatus.PASSED, actor, now
    plan.save()
    record_event(actor=actor, action="plans.submit_plan", target=plan, before=before, after=snapshot(plan))
    if late:
        _raise_r11_plan(plan, actor, _today())
    _notify_submitted(plan)
    return plan


def _notify_submitted(plan: Plan) -> None:
    title, link = f"{plan}已报送", _link(plan)
    if plan.random_review == ReviewStatus.PENDING:
        notify_role(role=Role.RANDOM_COORDINATOR, title=f"{title},请审核双随机事项", link=link)
    if plan.targeted_review == ReviewStatus.PENDING:
        notify_role(role=Role.SUPERVISOR, title=f"{title},请审核非双随机事项", link=link)
    notify_role(role=Role.OFFICE, title=title + ("(逾期报送)" if plan.late else ""), link=link)


@transaction.atomic
def grant_extension(*, actor: Any, plan: Plan, until: dt.date, reason: str) -> Plan:
    """The office lets a department submit after the window, up to the end of ``until``."""
    _require_office(actor, "批准延期报送")
    reason = reason.strip()
    if not reason:
        raise PlanError("请填写延期原因。")
    if len(reason) > 255:
        raise PlanError("延期原因不能超过 255 个字。")
    if until < _today():
        raise PlanError("延期截止日期不能早于今天。")
    if plan.status not in EDITABLE or plan.submitted_at is not None:
        raise PlanError("只有尚未报送的计划可以批准延期报送。")
    before = snapshot(plan)
    plan.extension_until, plan.extension_reason = calendar.end_of_day(until), reason
    plan.save(update_fields=["extension_until", "extension_reason", "updated_at"])
    record_event(actor=actor, action="plans.grant_extension", target=plan, before=before, after=snapshot(plan))
    body = f"可报送至{until:%Y年%m月%d日}。原因:{reason}"
    notify_role(role=_editor_role(plan), title=f"{plan}已批准延期报送", body=body, link=_link(plan), **_dept(plan))
    return plan


def _editor_role(plan: Plan) -> str:
    return Role.RANDOM_COORDINATOR if plan.kind == PlanKind.ANNUAL_RANDOM else Role.DEPT_ADMIN


def _dept(plan: Plan) -> dict[str, Any]:
    return {} if plan.kind == PlanKind.ANNUAL_RANDOM else {"department_id": plan.department_id}
