"""Import of a filled-in table (.xlsx, or .csv in UTF-8/GBK) through the plan services, all or nothing.

- 2-1 into a draft/returned plan: its entries are replaced (``remove_entry`` each, ``add_entry`` per row).
- 2-2 into an approved plan: rows are matched to entries by 序号 + 检查事项 (``report_completion``);
  rows with nothing in the completion columns are skipped.
- 附件5 into a draft/returned plan: its multi-level entries are replaced.

A row whose 序号 and 检查事项 match an existing entry (numbered as the export numbers them) keeps
the fields its table does not show (a 2-1 row keeps the multi-level fields; an 附件5 row keeps the
count, method and partners). Every problem names its row and column; nothing is written when any
row fails: the services run inside one transaction that is rolled back.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

from qijian.catalog.choices import InspectionMethod, InspectionMode
from qijian.catalog.models import CatalogItem
from qijian.catalog.queries import effective_items
from qijian.core.imports import reader
from qijian.core.imports.errors import ImportFileError
from qijian.enterprises.models import Enterprise
from qijian.org.models import Department
from qijian.plans import periods
from qijian.plans.choices import Completion, InspectionLevel, PlanKind, PlanStatus
from qijian.plans.models import Plan, PlanEntry
from qijian.plans.tables import cells
from qijian.plans.tables.cells import CellError
from qijian.plans.tables.layouts import (
    COMPLETION,
    LAYOUTS,
    MULTI_LEVEL,
    PLAN,
    SIGNATURE,
    Layout,
    entries_for,
    period_text,
    short_header,
)

T = TypeVar("T")
HEAD_SEARCH_ROWS = 20
EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
ERROR_COLUMN = "错误信息"
_MODES = {str(c.label): c.value for c in InspectionMode}
_METHODS = {str(c.label): c.value for c in InspectionMethod}
_COMPLETIONS = {str(c.label): c.value for c in Completion}
_LEVELS = {str(c.label): c.value for c in InspectionLevel} | {f"{c.label}级": c.value for c in InspectionLevel}
_PERIOD = re.compile(r"(\d{4})\s*年\s*(?:第\s*(\d)\s*季度|度)")


@dataclass(frozen=True)
class Problem:
    row: int  # spreadsheet row; 0 = the file as a whole
    column: int  # 1-based; 0 = the row as a whole
    header: str
    message: str

    def describe(self) -> str:
        if self.column:
            return f"第{self.row}行 第{self.column}列({self.header}):{self.message}"
        return f"第{self.row}行:{self.message}" if self.row else self.message


class TableImportError(ValueError):
    """The upload was refused; ``problems`` says where and why, ``report`` is the marked-up workbook."""

    def __init__(self, problems: list[Problem], report: bytes | None = None) -> None:
        super().__init__(";".join(p.describe() for p in problems[:20]))
        self.problems, self.report = problems, report


@dataclass(frozen=True)
class ImportOutcome:
    table: str
    rows: int
    removed: int = 0

    def summary(self) -> str:
        layout = LAYOUTS[self.table]
        if self.table == COMPLETION.key:
            return f"{layout.label}已导入:{self.rows} 个条目报送了完成情况。"
        return f"{layout.label}已导入:原有 {self.removed} 个条目已替换为表中的 {self.rows} 个条目。"


# --- the file ------------------------------------------------------------------------------------------


def _header_key(value: str) -> str:
    table = str.maketrans({"（": "(", "）": ")", "／": "/", "，": ","})
    return re.sub(r"\s+", "", value.translate(table))


def _header_matches(actual: str, expected: str) -> bool:
    return _header_key(actual) in (_header_key(expected), _header_key(short_header(expected)))


@dataclass
class Upload:
    layout: Layout
    records: list[tuple[int, list[str]]]  # every row as read (text), 1-based row numbers
    header_row: int = 0
    problems: list[Problem] = field(default_factory=list)

    def head(self) -> Iterator[tuple[int, list[str]]]:
        return ((n, r) for n, r in self.records if n < self.header_row)

    def data(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.layout.headers)
        for row_no, record in self.records:
            if row_no <= self.header_row or not any(record):
                continue
            if record[0].startswith(SIGNATURE[:5]):
                return
            yield row_no, (record + [""] * width)[:width]


def read_upload(data: bytes, filename: str, layout: Layout) -> Upload:
    """The rows of an uploaded table, with its header row found and checked (or TableImportError)."""
    try:
        fh = io.BytesIO(data)
        reader._check_size(len(data))
        source = reader._source(fh, filename)
        upload = Upload(layout, [(n, [cells.text(v) for v in r]) for n, r in enumerate(source.records(), 1)])
    except ImportFileError as exc:
        raise TableImportError([Problem(exc.row, 0, exc.column, exc.message)]) from exc
    _find_header(upload)
    return upload


def _find_header(upload: Upload) -> None:
    layout = upload.layout
    for row_no, record in upload.records[:HEAD_SEARCH_ROWS]:
        if record and _header_key(record[0]) == "序号":
            _check_other_table(row_no, record, layout)
            _check_header(row_no, record, layout)
            upload.header_row = row_no
            return
    expected = "、".join(layout.short_headers)
    raise TableImportError([Problem(0, 0, "", f"未找到表头行:应有一行表头,依次为“{expected}”")])


def _check_other_table(row_no: int, record: list[str], layout: Layout) -> None:
    for other in LAYOUTS.values():
        if other is layout or len(record) < len(other.headers):
            continue
        if all(_header_matches(a, e) for a, e in zip(record, other.headers, strict=False)):
            message = f"这是{other.label}{other.title}的表头,不是{layout.label}{layout.title};请在对应的入口导入"
            raise TableImportError([Problem(row_no, 0, "", message)])


def _check_header(row_no: int, record: list[str], layout: Layout) -> None:
    problems = []
    padded = record + [""] * (len(layout.headers) - len(record))
    for column, (actual, expected) in enumerate(zip(padded, layout.headers, strict=False), start=1):
        if not _header_matches(actual, expected):
            message = f"表头应为“{expected}”,实为“{actual or '(空)'}”(表头不得修改或调换顺序)"
            problems.append(Problem(row_no, column, short_header(expected), message))
    for column, extra in enumerate(padded[len(layout.headers) :], start=len(layout.headers) + 1):
        if extra and _header_key(extra) != ERROR_COLUMN:
            problems.append(Problem(row_no, column, extra, "表头多出此列;请按导出的表格填写"))
    if problems:
        raise TableImportError(problems)


def _check_head_block(upload: Upload, plan: Plan) -> None:
    """The header block's 填报单位 and period, where filled in, must be this plan's."""
    for row_no, record in upload.head():
        for column, value in enumerate(record, start=1):
            _check_block_cell(upload, plan, row_no, column, value)


def _check_block_cell(upload: Upload, plan: Plan, row_no: int, column: int, value: str) -> None:
    if value.startswith("填报单位"):
        unit = re.sub(r"^填报单位\s*[:：]", "", value).strip().strip("_")
        if unit and unit != plan.department.name:
            message = f"填报单位“{unit}”与本计划的部门“{plan.department.name}”不符"
            upload.problems.append(Problem(row_no, column, "填报单位", message))
    match = _PERIOD.search(value)
    if match and match[0].replace(" ", "") != period_text(plan):
        message = f"表中期间“{match[0]}”与本计划的期间“{period_text(plan)}”不符"
        upload.problems.append(Problem(row_no, column, "填报期间", message))


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


# --- running an import ---------------------------------------------------------------------------------


class _RollbackError(Exception):
    """Raised inside the transaction to undo every service call once some row failed."""


Step = tuple[int, str, Callable[[], object]]


def _apply(steps: list[Step]) -> list[Problem]:
    """Run every service call in one transaction; any failure rolls all of them back."""
    problems: list[Problem] = []
    try:
        with transaction.atomic():
            for row_no, what, call in steps:
                _call(row_no, what, call, problems)
            if problems:
                raise _RollbackError
    except _RollbackError:
        pass
    return problems


def _call(row_no: int, what: str, call: Callable[[], object], problems: list[Problem]) -> None:
    try:
        with transaction.atomic():
            call()
    except (ValueError, ValidationError) as exc:
        message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        problems.append(Problem(row_no, 0, "", f"{what}{message}"))


def _refuse(upload: Upload) -> None:
    if upload.problems:
        raise TableImportError(upload.problems, error_report(upload))


def _locked(plan: Plan, statuses: tuple[str, ...], layout: Layout) -> Plan:
    locked = Plan.objects.select_for_update().select_related("department").get(pk=plan.pk)
    if locked.status not in statuses:
        labels = "、".join(str(PlanStatus(s).label) for s in statuses)
        message = f"计划当前状态为“{locked.get_status_display()}”,{layout.label}只能导入状态为{labels}的计划"
        raise TableImportError([Problem(0, 0, "", message)])
    return locked


def _parse(upload: Upload, plan: Plan, parse_row: Callable[[Row], T | None]) -> list[tuple[int, T]]:
    _check_head_block(upload, plan)
    parsed = [(row_no, parse_row(Row(upload, row_no, record))) for row_no, record in upload.data()]
    return [(row_no, fields) for row_no, fields in parsed if fields is not None]


def _replace(
    *, actor: Any, plan: Plan, upload: Upload, parse_row: Callable[[Row, Lookups, list[PlanEntry]], Any]
) -> ImportOutcome:
    layout = upload.layout
    with transaction.atomic():
        plan = _locked(plan, EDITABLE, layout)
        numbered = list(entries_for(plan, layout.key))
        lookups = Lookups(plan, upload, "检查对象")
        rows = _parse(upload, plan, lambda row: parse_row(row, lookups, numbered))
        if not rows and not upload.problems:
            upload.problems.append(Problem(0, 0, "", "表中没有任何条目;如要清空计划,请在计划页面逐条删除"))
        _refuse(upload)
        steps = _replace_steps(actor, plan, numbered, rows)
        upload.problems.extend(_apply(steps))
        _refuse(upload)
    return ImportOutcome(layout.key, len(rows), len(numbered))


def _replace_steps(
    actor: Any, plan: Plan, numbered: list[PlanEntry], rows: list[tuple[int, dict[str, Any]]]
) -> list[Step]:
    from qijian.plans import services

    steps: list[Step] = [
        (0, f"删除原有条目“{e.item.name}”时出错:", lambda e=e: services.remove_entry(actor=actor, entry=e))  # type: ignore[misc]
        for e in numbered
    ]
    steps += [
        (row_no, "", lambda f=fields: services.add_entry(actor=actor, plan=plan, **f))  # type: ignore[misc]
        for row_no, fields in rows
    ]
    return steps


def import_plan_table(*, actor: Any, plan: Plan, data: bytes, filename: str) -> ImportOutcome:
    upload = read_upload(data, filename, PLAN)
    return _replace(actor=actor, plan=plan, upload=upload, parse_row=_plan_row)


def import_multi_level_table(*, actor: Any, plan: Plan, data: bytes, filename: str) -> ImportOutcome:
    upload = read_upload(data, filename, MULTI_LEVEL)
    return _replace(actor=actor, plan=plan, upload=upload, parse_row=_multi_level_row)


def import_completion_table(*, actor: Any, plan: Plan, data: bytes, filename: str) -> ImportOutcome:
    from qijian.plans import services

    upload = read_upload(data, filename, COMPLETION)
    with transaction.atomic():
        plan = _locked(plan, (PlanStatus.APPROVED,), COMPLETION)
        numbered, seen = list(entries_for(plan, COMPLETION.key)), set[int]()
        rows = _parse(upload, plan, lambda row: _completion_row(row, numbered, seen))
        if not rows and not upload.problems:
            upload.problems.append(Problem(0, 0, "", "表中没有填写任何完成情况"))
        _refuse(upload)
        steps: list[Step] = [
            (row_no, "", lambda f=fields: services.report_completion(actor=actor, **f))  # type: ignore[misc]
            for row_no, fields in rows
        ]
        upload.problems.extend(_apply(steps))
        _refuse(upload)
    return ImportOutcome(COMPLETION.key, len(rows))


IMPORTERS: dict[str, Callable[..., ImportOutcome]] = {
    PLAN.key: import_plan_table,
    COMPLETION.key: import_completion_table,
    MULTI_LEVEL.key: import_multi_level_table,
}


def import_table(*, actor: Any, plan: Plan, table: str, data: bytes, filename: str) -> ImportOutcome:
    return IMPORTERS[table](actor=actor, plan=plan, data=data, filename=filename)


# --- the error report ------------------------------------------------------------------------------------


def error_report(upload: Upload) -> bytes:
    """The uploaded rows, at their row numbers, with an 错误信息 column after the last column."""
    from openpyxl import Workbook

    by_row: dict[int, list[str]] = {}
    for problem in upload.problems:
        where = f"第{problem.column}列({problem.header}):" if problem.column else ""
        by_row.setdefault(problem.row, []).append(where + problem.message)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误报告")
    width = len(upload.layout.headers)
    for row_no, record in upload.records:
        padded = (record + [""] * width)[:width]
        note = ERROR_COLUMN if row_no == upload.header_row else "；".join(by_row.get(row_no, []))
        sheet.append([*padded, note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
