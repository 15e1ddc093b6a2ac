"""Filing services: superior-level inspections and acceptance visits (mechanism 8)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from qijian.audit.services import record_event
from qijian.catalog.models import CatalogItem
from qijian.core.notify import queue_mail
from qijian.enterprises.models import Enterprise
from qijian.inspections.choices import FilingKind, FilingStatus
from qijian.inspections.models import Filing
from qijian.inspections.services.checks import (
    SUPERIOR_LEVELS,
    Facts,
    FilingError,
    _aware,
    _check_future_window,
    _fmt,
    _now,
    _require_admin_of,
    effective_item,
    local_day,
    resolve_enterprises,
    resolve_inspectors,
)
from qijian.inspections.services.filing import _actor_department, _check_entry_window, _check_people, _entry_is_approved
from qijian.inspections.services.writing import _file
from qijian.org.choices import DepartmentLevel
from qijian.org.models import Department

# --- multi-level (mechanism 8) ----------------------------------------------------------------------------


def _ancestors(department: Department) -> list[int]:
    ids: list[int] = []
    current = department.parent
    while current is not None and current.pk not in ids:
        ids.append(current.pk)
        current = current.parent
    return ids


def _has_county_descendant(superior: Department) -> bool:
    county = Department.objects.filter(level=DepartmentLevel.COUNTY).select_related("parent__parent__parent")
    return any(superior.pk in _ancestors(d) for d in county.filter(parent__isnull=False))


def check_counterpart(actor: Any, superior: Department) -> Department:
    """The actor's department must be the superior's county counterpart (the superior is up its
    parent chain); a superior with no county counterpart registered may be filed by any county department."""
    department = _actor_department(actor)
    if superior.level not in SUPERIOR_LEVELS:
        raise FilingError(f"“{superior.name}”不是上级(国家、省、市)部门。")
    if department.level != DepartmentLevel.COUNTY:
        raise FilingError("上级部门检查须由县级对口部门备案。")
    if superior.pk not in _ancestors(department) and _has_county_descendant(superior):
        raise FilingError(f"本部门不是“{superior.name}”的县级对口部门,请由对口部门备案。")
    return department


@transaction.atomic
def file_superior_inspection(
    *,
    actor: Any,
    superior_department: Department,
    item: CatalogItem,
    enterprises: Sequence[Any],
    inspectors: Sequence[Any],
    window_start: dt.datetime,
    window_end: dt.datetime,
    planned_entry: Any = None,
) -> Filing:
    """The county counterpart files a superior department's inspection; each enterprise's township
    or zone government is told by mail (mechanism 8)."""
    department = check_counterpart(actor, superior_department)
    start, end = _aware(window_start, "开始时间"), _aware(window_end, "结束时间")
    _check_future_window(start, end, _now())
    _check_planned_entry(planned_entry, department, start, end)
    facts = Facts(
        department=department,
        kind=FilingKind.PLANNED,
        item=effective_item(item, department.pk, local_day(start)),
        enterprises=resolve_enterprises(enterprises),
        inspectors=resolve_inspectors(inspectors),
        window_start=start,
        window_end=end,
        plan_entry=planned_entry,
        superior_department=superior_department,
    )
    _check_people(facts, extra_departments=[superior_department.pk])
    filing = _file(actor, facts, action="inspections.file_superior_inspection", headline="上级部门检查报备")
    _notify_townships(filing, facts)
    return filing


def _check_planned_entry(entry: Any, department: Department, start: dt.datetime, end: dt.datetime) -> None:
    if entry is None:
        return
    if entry.plan.department_id != department.pk or not _entry_is_approved(entry):
        raise FilingError("所选计划条目不是本部门已审定计划中的条目。")
    _check_entry_window(entry, start, end)


def _notify_townships(filing: Filing, facts: Facts) -> None:
    by_township: dict[Any, list[Enterprise]] = defaultdict(list)
    for enterprise in facts.enterprises:
        by_township[enterprise.township].append(enterprise)
    unreachable = [t.name for t in by_township if not t.notice_email]
    for township, members in by_township.items():
        if township.notice_email:
            queue_mail(
                to=[township.notice_email],
                subject=f"[企检] 上级部门入企检查通知 {filing.number}",
                body=_township_body(filing, facts, township, members),
                mark=f"qijian.inspections.services.mark_township_notified:{filing.pk}",
            )
    if unreachable:
        record_event(
            actor=None,
            action="inspections.township_unreachable",
            target=filing,
            after={"townships": unreachable, "note": "属地政府未配置通知邮箱"},
        )


def _township_body(filing: Filing, facts: Facts, township: Any, members: Sequence[Enterprise]) -> str:
    assert facts.superior_department is not None
    lines = [
        f"{township.name}:",
        f"{facts.superior_department.name}将于{_fmt(filing.window_start)}至{_fmt(filing.window_end)}"
        f"对贵辖区下列企业开展执法检查,县级对口部门{facts.department.name}已向联席会议办公室备案(报备编号{filing.number})。",
        f"检查事项:{facts.item.name}",
        "检查对象:",
        *[f"  {e.name}(统一社会信用代码 {e.uscc})" for e in members],
        "执法人员:",
        *[f"  {i.name}(执法证号 {i.certificate_no})" for i in facts.inspectors],
    ]
    return "\n".join(lines)


@transaction.atomic
def file_acceptance_visit(
    *,
    actor: Any,
    superior_filing: Filing,
    enterprises: Sequence[Any],
    inspectors: Sequence[Any],
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> Filing:
    """An acceptance visit (勘察验收) after a superior inspection. A visit beyond the policy's maximum is
    accepted, and ``after_filing`` raises R08 for it."""
    superior = superior_filing.superior_department
    if superior is None or superior_filing.acceptance_of_id is not None:
        raise FilingError("勘察验收须对应一次上级部门检查的报备。")
    _require_admin_of(actor, superior_filing.department)
    if superior_filing.status == FilingStatus.CANCELLED:
        raise FilingError("对应的上级部门检查报备已撤销。")
    start, end = _aware(window_start, "开始时间"), _aware(window_end, "结束时间")
    _check_future_window(start, end, _now())
    if start < superior_filing.window_start:
        raise FilingError("勘察验收须在上级部门检查开始之后进行。")
    chosen = resolve_enterprises(enterprises)
    inspected = {e.pk for e in superior_filing.enterprises.all()}
    outside = [e.name for e in chosen if e.pk not in inspected]
    if outside:
        raise FilingError(f"勘察验收的企业须是上级部门检查过的企业:{'、'.join(outside)}不在其中。")
    facts = Facts(
        department=superior_filing.department,
        kind=FilingKind.PLANNED,
        item=superior_filing.item,
        enterprises=chosen,
        inspectors=resolve_inspectors(inspectors),
        window_start=start,
        window_end=end,
        superior_department=superior,
        acceptance_of=superior_filing,
    )
    _check_people(facts, extra_departments=[superior.pk])
    return _file(actor, facts, action="inspections.file_acceptance_visit", headline="上级检查后勘察验收报备")
