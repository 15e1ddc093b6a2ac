"""Plan services: adding, changing and removing plan entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from qijian.audit.services import record_event, snapshot
from qijian.catalog import queries as catalog_queries
from qijian.catalog.choices import InspectionMethod, InspectionMode
from qijian.catalog.models import CatalogItem
from qijian.enterprises.choices import EnterpriseStatus
from qijian.enterprises.models import Enterprise
from qijian.org.models import Department
from qijian.oversight import rules
from qijian.plans import periods
from qijian.plans.choices import InspectionLevel, PlanKind
from qijian.plans.models import Plan, PlanEntry
from qijian.plans.services.base import _TEXT_LIMITS, ENTRY_FIELDS, PlanError, _require_editable

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
