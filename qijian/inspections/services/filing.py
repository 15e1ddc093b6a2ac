"""Filing services: planned and urgent filings, amendments and cancellations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from qijian.accounts.choices import Role
from qijian.audit.services import record_event
from qijian.catalog.choices import InspectionMethod
from qijian.catalog.models import CatalogItem
from qijian.enterprises.models import Enterprise
from qijian.inspections.choices import FilingKind, FilingStatus, UrgentReason
from qijian.inspections.models import Filing
from qijian.inspections.services.checks import (
    Facts,
    FilingError,
    _aware,
    _check_future_window,
    _check_window_order,
    _find_enterprise,
    _fmt,
    _now,
    _require_admin_of,
    _text,
    _window_days,
    check_conflicts,
    check_enterprises,
    check_inspectors,
    effective_item,
    local_day,
    resolve_enterprises,
    resolve_inspectors,
)
from qijian.inspections.services.writing import _create, _file, _run_checks, _tell_office, amendment_number, summary
from qijian.org.models import Department
from qijian.oversight import rules
from qijian.policy.loader import figure

# --- planned filings -------------------------------------------------------------------------------------


def _entry_is_approved(entry: Any) -> bool:
    from qijian.plans import queries as plan_queries

    return bool(plan_queries.entry_is_approved(entry))


def _check_entry_window(entry: Any, start: dt.datetime, end: dt.datetime) -> None:
    if local_day(start) < entry.window_start or local_day(end) > entry.window_end:
        raise FilingError(
            f"检查时间须在计划条目的计划检查时间({entry.window_start:%Y-%m-%d}至{entry.window_end:%Y-%m-%d})之内。"
        )


@transaction.atomic
def file_planned(
    *,
    actor: Any,
    entry: Any,
    enterprises: Sequence[Any],
    inspectors: Sequence[Any],
    window_start: dt.datetime,
    window_end: dt.datetime,
    method: str | None = None,
) -> Filing:
    """A planned filing (计划内报备) from an approved plan entry, made before the inspection starts."""
    department = entry.plan.department
    _require_admin_of(actor, department)
    if not _entry_is_approved(entry):
        raise FilingError("该计划条目所属的检查计划尚未审定,不能据此报备。")
    start, end = _aware(window_start, "开始时间"), _aware(window_end, "结束时间")
    _check_future_window(start, end, _now())
    _check_entry_window(entry, start, end)
    item = effective_item(entry.item, department.pk, local_day(start))
    partners = list(entry.partners.all())
    facts = Facts(
        department=department,
        kind=FilingKind.PLANNED,
        item=item,
        enterprises=resolve_enterprises(enterprises),
        inspectors=resolve_inspectors(inspectors),
        window_start=start,
        window_end=end,
        method=method or entry.method,
        plan_entry=entry,
        joint=entry.joint,
        partners=partners,
    )
    _check_people(facts, targets=list(entry.targets.all()))
    return _file(actor, facts, action="inspections.file_planned", headline="计划内检查报备")


def _check_people(facts: Facts, *, targets: Sequence[Enterprise] = (), extra_departments: Iterable[int] = ()) -> None:
    _check_method(facts.method)
    check_enterprises(facts.enterprises, facts.item, targets)
    departments = {facts.department.pk, *(p.pk for p in facts.partners), *extra_departments}
    days = _window_days(facts.window_start, facts.window_end)
    check_inspectors(facts.inspectors, method=facts.method, days=days, departments=departments)
    check_conflicts(facts.inspectors, facts.enterprises)


def _check_method(method: str) -> None:
    if method not in InspectionMethod.values:
        raise FilingError("检查方式应为“现场”或“非现场”。")


# --- urgent filings --------------------------------------------------------------------------------------


def file_urgent(
    *,
    actor: Any,
    item: CatalogItem,
    reason: str,
    reason_detail: str,
    enterprises: Sequence[Any],
    inspectors: Sequence[Any],
    window_end: dt.datetime,
    method: str = InspectionMethod.ONSITE,
    claimed_start: dt.datetime | None = None,
) -> Filing:
    """An urgent filing (紧急报备): the inspection starts now, at the moment of filing.

    A client that claims an earlier start is refused: that is a late filing (事后报备, R02). The
    critical R02 alert is written in its own transaction first, so it stays although nothing else is.
    """
    now = _now()
    _actor_department(actor)
    if claimed_start is not None and _aware(claimed_start, "开始时间") < now:
        _raise_late_filing_alert(actor, enterprises, claimed_start, now)
        raise FilingError(
            f"检查开始时间({_fmt(claimed_start)})早于报备时间({_fmt(now)}):紧急检查须在开始的同时报备,"
            "不允许事后报备。该情况已记录为严重预警。"
        )
    start = claimed_start if claimed_start is not None else now
    return _file_urgent(actor, item, reason, reason_detail, enterprises, inspectors, start, window_end, method)


@transaction.atomic
def _file_urgent(
    actor: Any,
    item: CatalogItem,
    reason: str,
    reason_detail: str,
    enterprises: Sequence[Any],
    inspectors: Sequence[Any],
    start: dt.datetime,
    window_end: dt.datetime,
    method: str,
) -> Filing:
    department = _actor_department(actor)
    _check_reason(reason, reason_detail)
    _check_window_order(start, _aware(window_end, "结束时间"))
    facts = Facts(
        department=department,
        kind=FilingKind.URGENT,
        item=effective_item(item, department.pk, local_day(start)),
        enterprises=resolve_enterprises(enterprises),
        inspectors=resolve_inspectors(inspectors),
        window_start=start,
        window_end=window_end,
        method=method,
        urgent_reason=reason,
        reason_detail=reason_detail.strip(),
    )
    _check_people(facts)
    headline = f"紧急检查报备({UrgentReason(reason).label})"
    return _file(actor, facts, action="inspections.file_urgent", headline=headline)


def _actor_department(actor: Any) -> Department:
    if getattr(actor, "role", None) != Role.DEPT_ADMIN or actor.department_id is None:
        raise FilingError("只有部门管理员可以办理检查报备。")
    department: Department = actor.department
    return department


def _check_reason(reason: str, detail: str) -> None:
    allowed = [str(r) for r in figure("filing.urgent_reasons")]
    if reason not in allowed or reason not in UrgentReason.values:
        labels = "、".join(UrgentReason(r).label for r in allowed if r in UrgentReason.values)
        raise FilingError(f"紧急检查须注明事由:{labels}。")
    if not _text(detail):
        raise FilingError("请填写紧急检查的事由说明(如投诉编号、事件概况或上级通知文号)。")


def _raise_late_filing_alert(actor: Any, enterprises: Sequence[Any], claimed: dt.datetime, now: dt.datetime) -> None:
    from qijian.oversight.services import raise_alert

    finding = rules.late_filing(filed_at=now, started_at=claimed)
    if finding is None:
        return
    department = getattr(actor, "department", None)
    known: list[Enterprise | None] = [e for e in (_find_enterprise(v) for v in enterprises) if e is not None]
    base = f"R02:urgent:{getattr(actor, 'pk', 0)}:{claimed.astimezone(dt.UTC):%Y%m%dT%H%M%S}"
    with transaction.atomic():
        for enterprise in known or [None]:
            key = f"{base}:enterprise:{enterprise.pk if enterprise else 0}"
            raise_alert(finding=finding, key=key, actor=actor, department=department, enterprise=enterprise)


# --- amendments and cancellations ----------------------------------------------------------------------


def _check_changeable(actor: Any, filing: Filing, now: dt.datetime, verb: str) -> None:
    _require_admin_of(actor, filing.department)
    if filing.status != FilingStatus.ACTIVE:
        raise FilingError(f"该报备当前为“{filing.get_status_display()}”状态,不能{verb}。")
    if now >= filing.window_end:
        raise FilingError(f"检查时间已结束({_fmt(filing.window_end)}),不能再{verb}。")


@transaction.atomic
def amend_filing(
    *,
    actor: Any,
    filing: Filing,
    inspectors: Sequence[Any] | None = None,
    window_end: dt.datetime | None = None,
    enterprises: Sequence[Any] | None = None,
    reason: str,
) -> Filing:
    """A change (变更): a new filing that supersedes the original, which keeps its facts (status AMENDED)."""
    now = _now()
    original = Filing.objects.select_for_update().get(pk=filing.pk)
    _check_changeable(actor, original, now, "变更")
    if not _text(reason):
        raise FilingError("请填写变更原因。")
    before = Facts.of(original)
    after = _amended_facts(before, inspectors, window_end, enterprises)
    _check_window_order(after.window_start, after.window_end)
    if after.window_end <= now:
        raise FilingError("变更后的检查结束时间须晚于当前时间。")
    targets = list(original.plan_entry.targets.all()) if original.plan_entry_id else []
    _check_people(after, targets=targets, extra_departments=_superior_ids(original))
    original.status = FilingStatus.AMENDED
    original.save(update_fields=["status", "updated_at"])
    amended = _create(
        actor, after, action="inspections.amend_filing", number=amendment_number(original), supersedes=original
    )
    record_event(
        actor=actor,
        action="inspections.amend_filing",
        target=original,
        before=summary(original, before) | {"status": FilingStatus.ACTIVE},
        after=summary(amended, after) | {"reason": _text(reason)},
    )
    _tell_office(amended, after, f"报备变更(原报备 {original.number},变更原因:{_text(reason)})")
    if {e.pk for e in after.enterprises} - {e.pk for e in before.enterprises}:
        _run_checks(amended)
    return amended


def _amended_facts(
    before: Facts, inspectors: Sequence[Any] | None, window_end: dt.datetime | None, enterprises: Sequence[Any] | None
) -> Facts:
    after = Facts(**{name: getattr(before, name) for name in Facts.__dataclass_fields__})
    after.enterprises = list(before.enterprises)
    after.partners = list(before.partners)
    if inspectors is not None:
        after.inspectors = resolve_inspectors(inspectors)
    if enterprises is not None:
        after.enterprises = resolve_enterprises(enterprises)
    if window_end is not None:
        after.window_end = _aware(window_end, "结束时间")
    return after


def _superior_ids(filing: Filing) -> list[int]:
    return [filing.superior_department_id] if filing.superior_department_id else []


@transaction.atomic
def cancel_filing(*, actor: Any, filing: Filing, reason: str) -> Filing:
    """A cancellation (撤销): the row stays, with status CANCELLED, who and why."""
    now = _now()
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    _check_changeable(actor, filing, now, "撤销")
    if not _text(reason):
        raise FilingError("请填写撤销原因。")
    filing.status, filing.cancelled_at, filing.cancelled_by = FilingStatus.CANCELLED, now, actor
    filing.cancel_reason = _text(reason)[:255]
    filing.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
    facts = Facts.of(filing)
    record_event(
        actor=actor,
        action="inspections.cancel_filing",
        target=filing,
        before={"status": FilingStatus.ACTIVE},
        after={"status": filing.status, "reason": filing.cancel_reason, "cancelled_at": now.isoformat()},
    )
    _tell_office(filing, facts, f"报备撤销(撤销原因:{filing.cancel_reason})")
    return filing
