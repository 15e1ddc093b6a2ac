"""Writes of the plans app: drafting, submitting, reviewing, approving plans; completion; work reports.

Every function takes a keyword-only ``actor``, validates first (``PlanError`` with a Chinese message,
nothing written) and then writes and audits in one transaction. "Today" is
``qijian.core.calendar.local_today()`` (read through the module so tests can freeze it).

Two writes happen on purpose even when a call is refused: a plan submitted after its window closed
without an extension, and a work report filed late, raise an R11 alert (``oversight.services.raise_alert``,
its own transaction, idempotent by key) — the breach is recorded although the submission is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse

from qijian.accounts.choices import Role
from qijian.audit.services import record_event, snapshot
from qijian.catalog import queries as catalog_queries
from qijian.catalog.choices import InspectionMethod, InspectionMode
from qijian.catalog.models import CatalogItem
from qijian.core import calendar
from qijian.core.notify import notify_role
from qijian.enterprises.choices import EnterpriseStatus
from qijian.enterprises.models import Enterprise
from qijian.meetings.choices import DecisionSubject
from qijian.meetings.models import Decision
from qijian.org.models import Department
from qijian.oversight import rules
from qijian.oversight.services import raise_alert
from qijian.plans import periods
from qijian.plans.choices import Completion, InspectionLevel, PlanKind, PlanStatus, ReviewStatus
from qijian.plans.models import Plan, PlanEntry, WorkReport

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


# --- entries ------------------------------------------------------------------------------------------


def _check_item(plan: Plan, item: CatalogItem, on: dt.date) -> None:
    department_id = item.version.department_id
    if plan.kind == PlanKind.QUARTERLY and department_id != plan.department_id:
        raise PlanError(f"检查事项 {item.code} 不属于本部门的检查事项清单。")
    if not catalog_queries.is_effective(item, on):
        finding = rules.item_not_in_catalog(item_code=item.code, effective_codes=frozenset())
        assert finding is not None
        raise PlanError(f"{finding.message}({on:%Y-%m-%d})。")
    if plan.kind == PlanKind.ANNUAL_RANDOM and item.mode != InspectionMode.RANDOM:
        raise PlanError("年度双随机检查计划只能列入“双随机”类检查事项。")


def _check_window(plan: Plan, start: dt.date, end: dt.date) -> None:
    first, last = periods.plan_period(plan)
    if end < start:
        raise PlanError("计划检查时间的结束日期不能早于开始日期。")
    if start < first or end > last:
        raise PlanError(f"计划检查时间须在{periods.period_label(plan.year, plan.quarter)}内({first}至{last})。")


def _check_partners(plan: Plan, item: CatalogItem, joint: bool, partners: Sequence[Department]) -> None:
    own = item.version.department_id
    if not joint:
        if partners:
            raise PlanError("未选择联合检查时不能填写联合部门。")
        return
    if not item.joinable:
        raise PlanError(f"检查事项 {item.code} 不可联合检查。")
    if not partners:
        raise PlanError("联合检查须至少选择一个联合部门。")
    if any(p.pk in (own, plan.department_id) for p in partners):
        raise PlanError("联合部门不能包括本部门。")


def _check_targets(item: CatalogItem, targets: Sequence[Enterprise], target_rule: str) -> None:
    if not targets and not target_rule.strip():
        raise PlanError("请填写检查对象(企业)或抽查范围与比例。")
    for enterprise in targets:
        if enterprise.status != EnterpriseStatus.OPERATING:
            raise PlanError(f"{enterprise.name} 当前状态为“{enterprise.get_status_display()}”,不能列为检查对象。")
        if not catalog_queries.applies_to(item, enterprise):
            raise PlanError(f"检查事项 {item.code} 不适用于 {enterprise.name}(行业或市场主体类型不符)。")


def _check_level(level: str, implementing: Department | None) -> None:
    if level not in InspectionLevel.values:
        raise PlanError("检查层级不正确。")
    if level != InspectionLevel.COUNTY and implementing is None:
        raise PlanError(f"{InspectionLevel(level).label}级检查须填写实施部门。")
    if implementing is not None and implementing.level != level:
        raise PlanError(f"实施部门 {implementing} 不是{InspectionLevel(level).label}级部门。")


def _check_simple(fields: dict[str, Any]) -> None:
    if fields["expected_count"] is None or int(fields["expected_count"]) < 1:
        raise PlanError("预计检查户次至少为 1。")
    if fields["method"] not in InspectionMethod.values:
        raise PlanError("检查方式不正确。")
    for name, (label, limit) in _TEXT_LIMITS.items():
        if len(fields[name]) > limit:
            raise PlanError(f"“{label}”不能超过 {limit} 个字。")


def _validate_entry(plan: Plan, fields: dict[str, Any]) -> None:
    item: CatalogItem = fields["item"]
    _check_simple(fields)
    _check_window(plan, fields["window_start"], fields["window_end"])
    _check_item(plan, item, fields["window_start"])
    _check_partners(plan, item, fields["joint"], fields["partners"])
    _check_targets(item, fields["targets"], fields["target_rule"])
    _check_level(fields["level"], fields["implementing_department"])


def _entry_fields(**given: Any) -> dict[str, Any]:
    fields = dict(given)
    for name in _TEXT_LIMITS:
        fields[name] = (fields.get(name) or "").strip()
    fields["partners"] = list(fields.get("partners") or ())
    fields["targets"] = list(fields.get("targets") or ())
    if not fields["basis"]:
        fields["basis"] = fields["item"].basis
    return fields


def _entry_snapshot(entry: PlanEntry) -> dict[str, Any]:
    data = snapshot(entry)
    data["partners"] = sorted(entry.partners.values_list("pk", flat=True))
    data["targets"] = sorted(entry.targets.values_list("pk", flat=True))
    return data


def _write_entry(entry: PlanEntry, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name not in ("partners", "targets"):
            setattr(entry, name, value)
    entry.mode = fields["item"].mode
    entry.save()
    entry.partners.set(fields["partners"])
    entry.targets.set(fields["targets"])


@transaction.atomic
def add_entry(
    *,
    actor: Any,
    plan: Plan,
    item: CatalogItem,
    window_start: dt.date,
    window_end: dt.date,
    expected_count: int,
    basis: str = "",
    method: str = InspectionMethod.ONSITE,
    joint: bool = False,
    partners: Sequence[Department] = (),
    targets: Sequence[Enterprise] = (),
    target_rule: str = "",
    note: str = "",
    level: str = InspectionLevel.COUNTY,
    implementing_department: Department | None = None,
    multi_level_joint: bool = False,
    participants: str = "",
    township_notice: str = "",
    acceptance_plan: str = "",
) -> PlanEntry:
    fields = _entry_fields(**{k: v for k, v in locals().items() if k in ENTRY_FIELDS})
    _require_editable(actor, plan)
    _validate_entry(plan, fields)
    entry = PlanEntry(plan=plan)
    _write_entry(entry, fields)
    record_event(actor=actor, action="plans.add_entry", target=entry, after=_entry_snapshot(entry))
    return entry


@transaction.atomic
def update_entry(*, actor: Any, entry: PlanEntry, **changes: Any) -> PlanEntry:
    """Change some fields of an entry (the keywords of ``add_entry``); the others keep their values."""
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"update_entry() got unexpected fields {sorted(unknown)}")
    current = {name: getattr(entry, name) for name in ENTRY_FIELDS if name not in ("partners", "targets")}
    current |= {"partners": list(entry.partners.all()), "targets": list(entry.targets.all())}
    if "item" in changes and "basis" not in changes:
        current["basis"] = ""  # a new item brings its own basis unless one is given
    fields = _entry_fields(**(current | changes))
    _require_editable(actor, entry.plan)
    _validate_entry(entry.plan, fields)
    before = _entry_snapshot(entry)
    _write_entry(entry, fields)
    record_event(actor=actor, action="plans.update_entry", target=entry, before=before, after=_entry_snapshot(entry))
    return entry


@transaction.atomic
def remove_entry(*, actor: Any, entry: PlanEntry) -> None:
    _require_editable(actor, entry.plan)
    before = _entry_snapshot(entry)
    record_event(actor=actor, action="plans.remove_entry", target=entry, before=before)
    entry.delete()


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
