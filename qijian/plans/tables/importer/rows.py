"""Table import: parsing rows of 附件2-1, 附件5 and 附件2-2."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from qijian.catalog.models import CatalogItem
from qijian.catalog.queries import effective_items
from qijian.enterprises.models import Enterprise
from qijian.org.models import Department
from qijian.plans import periods
from qijian.plans.choices import InspectionLevel, PlanKind
from qijian.plans.models import Plan, PlanEntry
from qijian.plans.tables import cells
from qijian.plans.tables.cells import CellError
from qijian.plans.tables.importer.base import _COMPLETIONS, _LEVELS, _METHODS, _MODES, Problem, T, Upload

# --- rows ----------------------------------------------------------------------------------------------


class Row:
    """One data row: cells by short header, parsed with their problems collected."""

    def __init__(self, upload: Upload, row_no: int, record: list[str]) -> None:
        self.upload, self.row_no, self.record = upload, row_no, record
        self.failed = False

    def get(self, name: str) -> str:
        return self.record[self.upload.layout.column(name) - 1]

    def parse(self, name: str, parser: Callable[[str], T]) -> T | None:
        try:
            return parser(self.get(name))
        except CellError as exc:
            self.fail(name, str(exc))
            return None

    def fail(self, name: str, message: str) -> None:
        column = self.upload.layout.column(name)
        self.upload.problems.append(Problem(self.row_no, column, name, message))
        self.failed = True

    def blank(self, *names: str) -> bool:
        return not any(self.get(n) for n in names)


def _sequence(value: str) -> int | None:
    return cells.count(value) if value else None


class Lookups:
    """Items, enterprises and departments named in the file, each fetched once."""

    def __init__(self, plan: Plan, upload: Upload, target_column: str) -> None:
        self.plan = plan
        column = upload.layout.column(target_column) - 1
        wanted = cells.usccs(record[column] for _, record in upload.data())
        self.enterprises = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=wanted)}
        self.departments: dict[str, list[Department]] = {}
        for department in Department.objects.all():
            for name in {department.name, department.short_name} - {""}:
                self.departments.setdefault(name, []).append(department)
        self._items: dict[dt.date, dict[str, CatalogItem]] = {}

    def items_on(self, on: dt.date) -> dict[str, CatalogItem]:
        if on not in self._items:
            department_ids = [self.plan.department_id]
            if self.plan.kind == PlanKind.ANNUAL_RANDOM:
                department_ids = list(Department.objects.values_list("pk", flat=True))
            found: dict[str, CatalogItem] = {}
            for department_id in department_ids:
                for item in effective_items(department_id, on).select_related("version"):
                    found.setdefault(item.name, item)
            self._items[on] = found
        return self._items[on]

    def item(self, name: str, on: dt.date) -> CatalogItem:
        item = self.items_on(on).get(cells.required(name))
        if item is None:
            raise CellError(f"检查事项“{name}”不在{self.plan.department}{on}有效的检查事项清单中(R04)")
        return item

    def targets(self, value: str) -> tuple[list[Enterprise], str]:
        found, rule = cells.target_parts(cells.required(value))
        missing = [uscc for _, uscc in found if uscc not in self.enterprises]
        if missing:
            raise CellError(f"未找到统一社会信用代码为 {'、'.join(missing)} 的企业")
        return list({uscc: self.enterprises[uscc] for _, uscc in found}.values()), rule

    def department(self, name: str) -> Department:
        matches = self.departments.get(name, [])
        if not matches:
            raise CellError(f"未找到名为“{name}”的部门")
        if len(matches) > 1:
            raise CellError(f"名为“{name}”的部门不止一个,请填写全称")
        return matches[0]

    def department_list(self, value: str) -> list[Department]:
        return [self.department(name) for name in cells.names(value)]


def _period_start(plan: Plan) -> dt.date:
    return periods.plan_period(plan)[0]


def _item_of(row: Row, lookups: Lookups, window: tuple[dt.date, dt.date] | None) -> CatalogItem | None:
    on = window[0] if window else _period_start(lookups.plan)
    return row.parse("检查事项", lambda v: lookups.item(v, on))


def _check_mode(row: Row, item: CatalogItem | None) -> None:
    value = row.get("检查类别")
    if item is not None and value and _MODES.get(value) != item.mode:
        row.fail("检查类别", f"应与清单一致:“{item.name}”在清单中为{item.get_mode_display()}")


def _matched(row: Row, numbered: list[PlanEntry], sequence: int | None) -> PlanEntry | None:
    if sequence is None or not 1 <= sequence <= len(numbered):
        return None
    entry = numbered[sequence - 1]
    return entry if entry.item.name == row.get("检查事项") else None


# --- 2-1 -----------------------------------------------------------------------------------------------

MULTI_LEVEL_FIELDS = (
    "level",
    "implementing_department",
    "multi_level_joint",
    "participants",
    "township_notice",
    "acceptance_plan",
)


def _plan_row(row: Row, lookups: Lookups, numbered: list[PlanEntry]) -> dict[str, Any] | None:
    sequence = row.parse("序号", _sequence)
    window = row.parse("计划检查时间", cells.window)
    item = _item_of(row, lookups, window)
    _check_mode(row, item)
    targets = row.parse("检查对象", lookups.targets)
    joint = row.parse("是否联合检查", lambda v: cells.yes_no(v or "否"))
    partners = row.parse("联合部门", lookups.department_list)
    method = row.parse("检查方式", lambda v: cells.choice(v, _METHODS, "检查方式") if v else "")
    expected = row.parse("预计检查户次", cells.count)
    if row.failed or item is None or window is None or targets is None:
        return None
    fields = {
        "item": item,
        "basis": row.get("检查依据"),
        "targets": targets[0],
        "target_rule": targets[1],
        "joint": joint,
        "partners": partners,
        "window_start": window[0],
        "window_end": window[1],
        "method": method or item.method,
        "expected_count": expected,
        "note": row.get("备注"),
    }
    entry = _matched(row, numbered, sequence)
    if entry is not None:
        fields |= {name: getattr(entry, name) for name in MULTI_LEVEL_FIELDS}
    return fields


# --- 附件5 ---------------------------------------------------------------------------------------------

PLAN_ONLY_FIELDS = ("expected_count", "method", "joint")


def _multi_level_row(row: Row, lookups: Lookups, numbered: list[PlanEntry]) -> dict[str, Any] | None:
    sequence = row.parse("序号", _sequence)
    level = row.parse("检查层级", lambda v: cells.choice(v, _LEVELS, "检查层级"))
    implementing = row.parse("实施部门", lambda v: lookups.department(v) if v else None)
    row.parse("县级对口部门", lambda v: _counterpart(v, lookups.plan))
    window = row.parse("计划检查时间", cells.window)
    item = _item_of(row, lookups, window)
    targets = row.parse("检查对象", lookups.targets)
    joint = row.parse("是否多层级联合", lambda v: cells.yes_no(v or "否"))
    if level == InspectionLevel.COUNTY and joint is False:
        row.fail("检查层级", "县级且非多层级联合的条目不属于附件5,请在附件2-1中填写")
    if row.failed or item is None or window is None or targets is None:
        return None
    if implementing is not None and implementing.pk == lookups.plan.department_id:
        implementing = None
    fields = {
        "item": item,
        "basis": row.get("检查依据"),
        "targets": targets[0],
        "target_rule": targets[1],
        "window_start": window[0],
        "window_end": window[1],
        "level": level,
        "implementing_department": implementing,
        "multi_level_joint": joint,
        "participants": row.get("参与层级及部门"),
        "township_notice": row.get("属地政府通知情况"),
        "acceptance_plan": row.get("验收勘察安排"),
        "note": row.get("备注"),
    }
    return fields | _plan_only(_matched(row, numbered, sequence), item, targets[0])


def _plan_only(entry: PlanEntry | None, item: CatalogItem, targets: list[Enterprise]) -> dict[str, Any]:
    """The 2-1 fields 附件5 does not show: kept from the matched entry, else defaults."""
    if entry is None:
        return {"expected_count": max(len(targets), 1), "method": item.method, "joint": False, "partners": []}
    kept = {name: getattr(entry, name) for name in PLAN_ONLY_FIELDS}
    return kept | {"partners": list(entry.partners.all())}


def _counterpart(value: str, plan: Plan) -> None:
    if value and value != plan.department.name:
        raise CellError(f"县级对口部门应为本计划的部门“{plan.department.name}”")


# --- 2-2 -----------------------------------------------------------------------------------------------

COMPLETION_COLUMNS = ("实际户次", "其中联合检查户次", "其中非现场检查户次", "发现问题户次", "柔性执法件数", "完成情况")
COUNT_FIELDS = {
    "实际户次": "actual_count",
    "其中联合检查户次": "joint_count",
    "其中非现场检查户次": "remote_count",
    "发现问题户次": "problem_count",
}


def _completion_row(row: Row, numbered: list[PlanEntry], seen: set[int]) -> dict[str, Any] | None:
    if row.blank(*COMPLETION_COLUMNS, "未完成原因"):
        return None
    entry = _completion_entry(row, numbered, seen)
    fields: dict[str, Any] = {name: row.parse(header, cells.count) for header, name in COUNT_FIELDS.items()}
    fields |= row.parse("柔性执法件数", cells.leniency) or {}
    fields["completion"] = row.parse("完成情况", lambda v: cells.choice(v, _COMPLETIONS, "完成情况"))
    if entry is not None:
        _check_planned(row, entry)
    if row.failed or entry is None:
        return None
    return fields | {"entry": entry, "reason": row.get("未完成原因"), "note": row.get("备注")}


def _completion_entry(row: Row, numbered: list[PlanEntry], seen: set[int]) -> PlanEntry | None:
    sequence = row.parse("序号", cells.count)
    entry = _matched(row, numbered, sequence)
    if sequence is not None and entry is None:
        row.fail("序号", f"序号 {sequence} 与检查事项“{row.get('检查事项')}”对不上本计划的条目")
    elif entry is not None and entry.pk in seen:
        row.fail("序号", f"序号 {sequence} 重复")
    elif entry is not None:
        seen.add(entry.pk)
    return entry


def _check_planned(row: Row, entry: PlanEntry) -> None:
    planned = row.get("计划户次")
    if planned and planned != str(entry.expected_count):
        row.fail("计划户次", f"应与已审定计划一致({entry.expected_count}),不能在完成情况表中修改")
    _check_mode(row, entry.item)
