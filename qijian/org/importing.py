"""Importing and exporting inspectors (执法人员) as .xlsx / .csv.

Columns: 姓名, 执法证号, 所属部门 (name or code), 证件有效期起, 证件有效期至 are required; 状态 and
联系电话 are optional. A department administrator may import only inspectors of their own department.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import QuerySet

from qijian.core.exports import table_response, write_table
from qijian.core.imports.errors import Issues
from qijian.core.imports.reader import Cell, Column, Table, TableSpec
from qijian.core.imports.runner import ImportResult, Loader, import_file
from qijian.core.imports.values import choice_hint, choice_map, parse_date, text
from qijian.org.choices import InspectorStatus
from qijian.org.models import Department, Inspector
from qijian.org.services import register_inspectors

COLUMNS = (
    Column("name", "姓名", True),
    Column("certificate_no", "执法证号", True, ("执法证件号", "执法证编号", "证件号")),
    Column("department", "所属部门", True, ("部门", "执法部门")),
    Column("certificate_valid_from", "证件有效期起", True, ("有效期起", "发证日期")),
    Column("certificate_valid_until", "证件有效期至", True, ("有效期至", "有效期止")),
    Column("status", "状态", False, ("执法状态",)),
    Column("phone", "联系电话", False, ("电话",)),
)
SPEC = TableSpec(COLUMNS, ignored=("错误信息", "部门编码"))
H = {c.field: c.header for c in COLUMNS}
_LIMITS = {f.name: f.max_length for f in Inspector._meta.concrete_fields if f.max_length}
_STATUSES = choice_map(InspectorStatus.choices)
AMBIGUOUS = -1


def _department_index() -> dict[str, int]:
    """Departments by code, and by name or short name when unique (else AMBIGUOUS)."""
    index: dict[str, int] = {}
    rows = list(Department.objects.values_list("pk", "code", "name", "short_name"))
    for pk, _, name, short in rows:
        for key in filter(None, {name, short}):
            index[key] = AMBIGUOUS if index.get(key, pk) != pk else pk
    for pk, code, _, _ in rows:
        index[code] = pk
    return index


@dataclass
class InspectorChecker:
    departments: dict[str, int]
    existing: set[str]
    allowed_department: Department | None = None  # a department admin's own department
    issues: Issues = field(default_factory=Issues)
    seen: dict[str, int] = field(default_factory=dict)

    def check(self, row_no: int, row: dict[str, Cell]) -> dict[str, Any] | None:
        before = self.issues.error_count
        values = {
            "name": self._text(row_no, row, "name"),
            "certificate_no": self._certificate(row_no, row["certificate_no"]),
            "department_id": self._department(row_no, row["department"]),
            "certificate_valid_from": self._date(row_no, row, "certificate_valid_from"),
            "certificate_valid_until": self._date(row_no, row, "certificate_valid_until"),
            "status": self._status(row_no, row.get("status", "")),
            "phone": self._text(row_no, row, "phone", required=False),
        }
        self._check_period(row_no, values)
        return values if self.issues.error_count == before else None

    def _text(self, row_no: int, row: dict[str, Cell], name: str, *, required: bool = True) -> str:
        value = text(row.get(name, ""))
        limit = _LIMITS[name] or 0
        if not value and required:
            self.issues.error(row_no, H[name], "必填项为空")
        elif len(value) > limit:
            self.issues.error(row_no, H[name], f"长度不能超过{limit}个字符(实际{len(value)}个)")
        return value

    def _certificate(self, row_no: int, raw: Cell) -> str:
        number = self._text(row_no, {"certificate_no": raw}, "certificate_no")
        if not number:
            return number
        first = self.seen.setdefault(number, row_no)
        if number in self.existing:
            self.issues.error(row_no, H["certificate_no"], f"执法证号“{number}”已在系统中登记")
        elif first != row_no:
            self.issues.error(row_no, H["certificate_no"], f"与第{first}行的执法证号重复")
            self.issues.error(first, H["certificate_no"], f"与第{row_no}行的执法证号重复")
        return number

    def _department(self, row_no: int, raw: Cell) -> int | None:
        value = text(raw)
        found = self.departments.get(value)
        if not value or found is None or found == AMBIGUOUS:
            self.issues.error(row_no, H["department"], _department_message(value, found))
            return None
        own = self.allowed_department
        if own is not None and found != own.pk:
            self.issues.error(row_no, H["department"], f"只能导入本部门({own.name})的执法人员")
        return found

    def _date(self, row_no: int, row: dict[str, Cell], name: str) -> dt.date | None:
        raw = row.get(name, "")
        if raw == "":
            self.issues.error(row_no, H[name], "必填项为空")
            return None
        try:
            return parse_date(raw)
        except ValueError as exc:
            self.issues.error(row_no, H[name], str(exc))
            return None

    def _status(self, row_no: int, raw: Cell) -> str:
        value = text(raw)
        if not value:
            return str(InspectorStatus.ACTIVE.value)
        if value not in _STATUSES:
            self.issues.error(row_no, H["status"], f"无法识别“{value}”,应为:{choice_hint(InspectorStatus.choices)}")
        return _STATUSES.get(value, "")

    def _check_period(self, row_no: int, values: dict[str, Any]) -> None:
        start, end = values["certificate_valid_from"], values["certificate_valid_until"]
        if start and end and end < start:
            self.issues.error(row_no, H["certificate_valid_until"], "有效期至早于有效期起")


def _department_message(value: str, found: int | None) -> str:
    if not value:
        return "必填项为空"
    if found == AMBIGUOUS:
        return f"部门名称“{value}”不唯一,请填写部门编码"
    return f"未找到部门“{value}”(可填部门名称、简称或部门编码)"


def import_inspectors(
    fh: IO[bytes],
    *,
    filename: str,
    actor: Any,
    dry_run: bool = False,
    own_department: Department | None = None,
    progress: Callable[[Table], Any] | None = None,
) -> tuple[ImportResult, Table | None]:
    """Validate every row and register all the inspectors, or none of them.

    ``own_department`` (for a department administrator) rejects rows naming any other department.
    """

    def load(rows: Iterator[dict[str, Any]], expected: int) -> int:
        return register_inspectors(actor=actor, inspectors=[Inspector(**values) for values in rows])

    def make_checker() -> InspectorChecker:
        existing = set(Inspector.objects.values_list("certificate_no", flat=True))
        return InspectorChecker(_department_index(), existing, own_department)

    loader: Loader[dict[str, Any]] = load
    return import_file(
        fh,
        filename=filename,
        kind="inspectors",
        spec=SPEC,
        make_checker=make_checker,
        load=loader,
        dry_run=dry_run,
        progress=progress,
    )


# --- export -----------------------------------------------------------------------------------------

EXPORT_HEADERS = ("姓名", "执法证号", "所属部门", "部门编码", "证件有效期起", "证件有效期至", "状态", "联系电话")
_EXPORT_FIELDS = (
    "name",
    "certificate_no",
    "department__name",
    "department__code",
    "certificate_valid_from",
    "certificate_valid_until",
    "status",
    "phone",
)
_STATUS_LABELS = dict(InspectorStatus.choices)


def export_rows(queryset: QuerySet[Inspector]) -> Iterator[list[Any]]:
    for values in queryset.order_by("id").values_list(*_EXPORT_FIELDS).iterator(chunk_size=5000):
        row = list(values)
        row[6] = _STATUS_LABELS.get(row[6], row[6])
        yield row


def export_inspectors(queryset: QuerySet[Inspector], path: str) -> int:
    """Write the (already restricted) queryset to ``path`` (.xlsx or .csv); return the row count."""
    return write_table(path, EXPORT_HEADERS, export_rows(queryset), title="执法人员名册")


def inspector_export_response(queryset: QuerySet[Inspector], fmt: str = "xlsx") -> Any:
    return table_response("执法人员名册", EXPORT_HEADERS, export_rows(queryset), fmt=fmt, title="执法人员名册")
