"""Plan services: completion per entry at quarter end, and work reports."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from qijian.accounts.choices import Role
from qijian.audit.services import record_event, snapshot
from qijian.core import calendar
from qijian.core.notify import notify_role
from qijian.org.models import Department
from qijian.oversight import rules
from qijian.oversight.services import raise_alert
from qijian.plans import periods
from qijian.plans.choices import Completion, PlanStatus
from qijian.plans.models import Plan, PlanEntry, WorkReport
from qijian.plans.services.base import PlanError, _link, _now, _require_editor, _role, _today

# --- completion ---------------------------------------------------------------------------------------

COMPLETION_COUNTS = (
    "actual_count",
    "joint_count",
    "remote_count",
    "problem_count",
    "no_penalty_count",
    "reduced_penalty_count",
    "no_coercion_count",
)


def _check_completion_time(actor: Any, entry: PlanEntry) -> None:
    plan = entry.plan
    _require_editor(actor, plan)
    if plan.status != PlanStatus.APPROVED:
        raise PlanError("只有已审定计划的条目可以报送完成情况。")
    opens = periods.completion_opens(plan)
    if _today() < opens:
        raise PlanError(f"完成情况自{opens:%Y年%m月%d日}起报送。")


def _check_counts(completion: str, counts: dict[str, int], reason: str) -> None:
    if completion not in Completion.values:
        raise PlanError("完成情况应为已完成、部分完成或未完成。")
    if any(value is None or int(value) < 0 for value in counts.values()):
        raise PlanError("户次和件数不能为负数。")
    actual = counts["actual_count"]
    for name, label in (("joint_count", "联合检查"), ("remote_count", "非现场检查"), ("problem_count", "发现问题")):
        if counts[name] > actual:
            raise PlanError(f"{label}户次不能超过实际检查户次。")
    if completion != Completion.DONE and not reason.strip():
        raise PlanError("部分完成或未完成的,须填写原因。")


@transaction.atomic
def report_completion(
    *,
    actor: Any,
    entry: PlanEntry,
    completion: str,
    actual_count: int,
    joint_count: int,
    remote_count: int,
    problem_count: int,
    no_penalty_count: int,
    reduced_penalty_count: int,
    no_coercion_count: int,
    reason: str = "",
    note: str = "",
) -> PlanEntry:
    counts = {k: v for k, v in locals().items() if k in COMPLETION_COUNTS}
    _check_completion_time(actor, entry)
    _check_counts(completion, counts, reason)
    if len(reason.strip()) > 255 or len(note.strip()) > 255:
        raise PlanError("原因和备注不能超过 255 个字。")
    before = _completion_snapshot(entry)
    for name, value in counts.items():
        setattr(entry, name, int(value))
    entry.completion, entry.completion_reason, entry.completion_note = completion, reason.strip(), note.strip()
    entry.save(update_fields=[*COMPLETION_COUNTS, "completion", "completion_reason", "completion_note", "updated_at"])
    after = _completion_snapshot(entry)
    record_event(actor=actor, action="plans.report_completion", target=entry, before=before, after=after)
    _mark_plan_reported(entry.plan)
    return entry


def _completion_snapshot(entry: PlanEntry) -> dict[str, Any]:
    return snapshot(entry, ["completion", *COMPLETION_COUNTS, "completion_reason", "completion_note"])


def _mark_plan_reported(plan: Plan) -> None:
    if plan.completion_reported_at is not None or plan.entries.filter(completion="").exists():
        return
    plan.completion_reported_at = _now()
    plan.save(update_fields=["completion_reported_at", "updated_at"])
    notify_role(role=Role.OFFICE, title=f"{plan}完成情况已报送", link=_link(plan))


# --- work reports -------------------------------------------------------------------------------------


def _check_work_report(actor: Any, department: Department, quarter: calendar.Quarter, text: str) -> None:
    if _role(actor) != Role.DEPT_ADMIN or actor.department_id != department.pk:
        raise PlanError("只有本部门管理员可以报送本部门的工作情况。")
    if not text.strip():
        raise PlanError("请填写工作情况。")
    opens = periods.completion_opens_for(quarter)
    if _today() < opens:
        raise PlanError(f"{quarter.label}工作情况自{opens:%Y年%m月%d日}起报送。")
    if WorkReport.objects.filter(department=department, year=quarter.year, quarter=quarter.number).exists():
        raise PlanError(f"{department}已报送{quarter.label}工作情况。")


def _quarter(year: int, quarter: int) -> calendar.Quarter:
    try:
        return calendar.Quarter(int(year), int(quarter))
    except (TypeError, ValueError) as exc:
        raise PlanError("季度不正确。") from exc


@transaction.atomic
def submit_work_report(*, actor: Any, department: Department, year: int, quarter: int, text: str) -> WorkReport:
    """工作情况报送: due by day N of the next quarter's first month; late ones are kept and flagged (R11)."""
    period = _quarter(year, quarter)
    _check_work_report(actor, department, period, text)
    today, due = _today(), calendar.work_report_due(period)
    report = WorkReport.objects.create(
        department=department,
        year=period.year,
        quarter=period.number,
        text=text.strip(),
        submitted_at=_now(),
        submitted_by=actor,
        late=today > due,
    )
    record_event(actor=actor, action="plans.submit_work_report", target=report, after=snapshot(report))
    if report.late:
        finding = rules.not_submitted_in_window(
            what=f"{department}{period.label}工作情况", closes=due, today=today, submitted_on=today
        )
        assert finding is not None  # submitted after the due day
        key = periods.work_report_alert_key(department.pk, period.code)
        raise_alert(finding=finding, key=key, actor=actor, department=department)
    notify_role(role=Role.OFFICE, title=f"{report}已报送" + ("(逾期)" if report.late else ""))
    return report
