"""Table import: problems, the outcome and reading the uploaded file."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from qijian.catalog.choices import InspectionMethod, InspectionMode
from qijian.core.imports import reader
from qijian.core.imports.errors import ImportFileError
from qijian.plans.choices import Completion, InspectionLevel, PlanStatus
from qijian.plans.models import Plan
from qijian.plans.tables import cells
from qijian.plans.tables.layouts import (
    COMPLETION,
    LAYOUTS,
    SIGNATURE,
    Layout,
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
