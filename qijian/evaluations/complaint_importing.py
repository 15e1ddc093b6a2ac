"""Importing complaint tickets exported from the 8912345 hotline and 企业家直通车 (.xlsx/.csv).

Each source has its own column mapping (its exports' Chinese headers, with the usual variants as
aliases; columns the platforms add that Qijian does not keep are ignored). Every row is checked
(row and column in each error) and all rows are stored, or none (qijian/core/imports). A ticket
already imported (same source and 工单编号) is skipped with a warning, so an export can be imported
again after new tickets were added to it. Columns: docs/complaints.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import Q

from qijian.core.calendar import local_zone
from qijian.core.codes.uscc import check_uscc
from qijian.core.imports.errors import Issues
from qijian.core.imports.reader import Cell, Column, Table, TableSpec
from qijian.core.imports.runner import ImportResult, Loader, import_file
from qijian.core.imports.values import text
from qijian.enterprises.models import Enterprise
from qijian.evaluations.choices import ComplaintSource
from qijian.evaluations.models import Complaint
from qijian.evaluations.services.complaints import (
    SUMMARY_LIMIT,
    ComplaintError,
    ImportedTicket,
    Links,
    Ticket,
    check_links,
    record_imported_complaints,
)
from qijian.inspections.models import Filing
from qijian.org.models import Department

_ENTERPRISE_ALIASES = ("涉及企业(名称或统一社会信用代码)", "涉及企业（名称或统一社会信用代码）")
_PLATFORM_COLUMNS = (
    "序号",
    "诉求类型",
    "工单状态",
    "办理状态",
    "办结时间",
    "回复内容",
    "来源渠道",
    "所属区域",
    "满意度",
)

HOTLINE_COLUMNS = (
    Column("external_id", "工单编号", True, ("工单号", "工单编码")),
    Column("received_at", "来电时间", True, ("受理时间", "登记时间")),
    Column("complainant", "诉求人", False, ("来电人", "姓名")),
    Column("contact", "联系电话", False, ("来电号码", "联系方式")),
    Column("enterprise", "涉及企业", False, (*_ENTERPRISE_ALIASES, "被反映企业", "企业名称")),
    Column("department", "涉及部门", False, ("被反映部门", "承办单位")),
    Column("filing", "报备编号", False, ("关联报备编号",)),
    Column("title", "诉求标题", False, ("标题",)),
    Column("summary", "诉求内容", True, ("工单内容", "来电内容", "反映内容")),
)
DIRECT_COLUMNS = (
    Column("external_id", "诉求编号", True, ("工单编号", "编号")),
    Column("received_at", "提交时间", True, ("反映时间", "来电时间")),
    Column("complainant", "企业家姓名", False, ("反映人", "诉求人")),
    Column("contact", "联系电话", False, ("联系方式", "电子邮箱")),
    Column("enterprise", "涉及企业", False, (*_ENTERPRISE_ALIASES, "企业名称", "所在企业")),
    Column("department", "涉及部门", False, ("被反映部门", "承办单位")),
    Column("filing", "报备编号", False, ("关联报备编号",)),
    Column("title", "诉求标题", False, ("标题",)),
    Column("summary", "诉求内容", True, ("问题描述", "反映内容")),
)


@dataclass(frozen=True)
class SourceSpec:
    source: str
    label: str
    columns: tuple[Column, ...]

    @property
    def table(self) -> TableSpec:
        return TableSpec(self.columns, ignored=("错误信息", *_PLATFORM_COLUMNS))

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def header(self, name: str) -> str:
        return next(c.header for c in self.columns if c.field == name)


SOURCES = {
    ComplaintSource.HOTLINE.value: SourceSpec(ComplaintSource.HOTLINE, "12345热线", HOTLINE_COLUMNS),
    ComplaintSource.DIRECT.value: SourceSpec(ComplaintSource.DIRECT, "企业家直通车", DIRECT_COLUMNS),
}
_DATETIME = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+|T)?(?:(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})秒?)?)?$"
)
_FIRST_YEAR = 2000
_LIMITS = {"summary": SUMMARY_LIMIT, "complainant": 100, "contact": 200}


def parse_received(value: Cell) -> dt.datetime:
    """An Excel date/time cell or 2026-03-02 09:15[:30] / 2026/3/2 9:15 / 2026年3月2日 (local time)."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        match = _DATETIME.match(value.strip())
        if match is None:
            raise ValueError(f"时间格式无法识别:“{value}”(应如 2026-03-02 09:15)")
        year, month, day, hour, minute, second = (int(p) if p else 0 for p in match.groups())
        try:
            moment = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            raise ValueError(f"时间不存在:“{value}”") from None
    return moment.replace(tzinfo=local_zone()) if moment.tzinfo is None else moment


@dataclass
class ComplaintChecker:
    spec: SourceSpec
    departments: dict[str, int]  # name, short name or code → id
    issues: Issues = field(default_factory=Issues)
    seen: dict[str, int] = field(default_factory=dict)
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def check(self, row_no: int, row: dict[str, Cell]) -> ImportedTicket | None:
        before = self.issues.error_count
        ticket_id = self._ticket_id(row_no, text(row["external_id"]))
        if ticket_id and self._already_imported(row_no, ticket_id):
            return None
        received = self._received(row_no, row["received_at"])
        ticket = self._ticket(row_no, row, ticket_id)
        links = self._links(row_no, row)
        if self.issues.error_count != before or received is None or links is None:
            return None
        return ImportedTicket(ticket, received, _pk(links.enterprise), _pk(links.department), _pk(links.filing))

    def _error(self, row_no: int, name: str, message: str) -> None:
        self.issues.error(row_no, self.spec.header(name), message)

    def _ticket_id(self, row_no: int, value: str) -> str:
        if not value:
            self._error(row_no, "external_id", "必填项为空")
        elif len(value) > 64:
            self._error(row_no, "external_id", f"长度不能超过64个字符(实际{len(value)}个)")
        elif (first := self.seen.setdefault(value, row_no)) != row_no:
            self._error(row_no, "external_id", f"与第{first}行的工单编号重复")
        else:
            return value
        return ""

    def _already_imported(self, row_no: int, ticket_id: str) -> bool:
        number = (
            Complaint.objects.filter(source=self.spec.source, external_id=ticket_id)
            .values_list("number", flat=True)
            .first()
        )
        if number is not None:
            self.issues.warning(row_no, self.spec.header("external_id"), f"该工单已导入(投诉编号{number}),已跳过")
        return number is not None

    def _received(self, row_no: int, raw: Cell) -> dt.datetime | None:
        if not text(raw):
            self._error(row_no, "received_at", "必填项为空")
            return None
        try:
            moment = parse_received(raw)
        except ValueError as exc:
            self._error(row_no, "received_at", str(exc))
            return None
        if moment > self.now or moment.year < _FIRST_YEAR:
            self._error(row_no, "received_at", f"时间应在{_FIRST_YEAR}年之后且不晚于现在(实际“{text(raw)}”)")
            return None
        return moment

    def _ticket(self, row_no: int, row: dict[str, Cell], ticket_id: str) -> Ticket:
        title, body = text(row.get("title", "")), text(row["summary"])
        summary = f"【{title}】{body}" if title and body else body
        ticket = Ticket(summary, text(row.get("complainant", "")), text(row.get("contact", "")), ticket_id)
        if not summary:
            self._error(row_no, "summary", "必填项为空")
        for name, limit in _LIMITS.items():
            value = getattr(ticket, name)
            if len(value) > limit:
                self._error(row_no, name, f"长度不能超过{limit}个字符(实际{len(value)}个)")
        return ticket

    def _links(self, row_no: int, row: dict[str, Cell]) -> Links | None:
        before = self.issues.error_count
        enterprise = self._enterprise(row_no, text(row.get("enterprise", "")))
        department = self._department(row_no, text(row.get("department", "")))
        filing = self._filing(row_no, text(row.get("filing", "")))
        if self.issues.error_count != before:
            return None
        try:
            return check_links(Links(enterprise, department, filing))
        except ComplaintError as exc:
            self._error(row_no, "filing" if filing else "department", str(exc))
            return None

    def _enterprise(self, row_no: int, value: str) -> Enterprise | None:
        if not value:
            return None
        code = value.upper()
        looks_like_code = len(code) == 18 and code.isascii() and code.isalnum()
        if looks_like_code and not (checked := check_uscc(code)).ok:
            self._error(row_no, "enterprise", f"统一社会信用代码“{value}”有误:{checked.message}")
            return None
        lookup = Q(uscc=code) if looks_like_code else Q(name=value)
        found = list(Enterprise.objects.filter(lookup)[:2])
        if len(found) == 1:
            return found[0]
        what = "该名称对应多家企业,请改填统一社会信用代码" if found else "未找到该企业(须先登记企业)"
        self._error(row_no, "enterprise", f"“{value}”:{what}")
        return None

    def _department(self, row_no: int, value: str) -> Department | None:
        if not value:
            return None
        found = self.departments.get(value)
        if found is None:
            self._error(row_no, "department", f"未找到部门“{value}”(应填部门全称、简称或部门编码)")
            return None
        return Department.objects.get(pk=found)

    def _filing(self, row_no: int, value: str) -> Filing | None:
        if not value:
            return None
        found = Filing.objects.filter(number=value).select_related("department").first()
        if found is None:
            self._error(row_no, "filing", f"未找到报备编号“{value}”")
            return None
        return found


def _pk(obj: Any) -> int | None:
    return obj.pk if obj is not None else None


def department_index() -> dict[str, int]:
    out: dict[str, int] = {}
    for pk, name, short, code in Department.objects.values_list("pk", "name", "short_name", "code"):
        for key in (code, short, name):
            if key:
                out[key] = pk
    return out


def import_complaints(
    fh: IO[bytes],
    *,
    source: str,
    filename: str,
    actor: Any,
    dry_run: bool = False,
    progress: Callable[[Table], Any] | None = None,
) -> tuple[ImportResult, Table | None]:
    """Check every row of one source's export and store all its new tickets, or none of them."""
    spec = SOURCES[source]

    def load(rows: Iterator[ImportedTicket], expected: int) -> int:
        return record_imported_complaints(actor=actor, source=spec.source, rows=rows)

    def make_checker() -> ComplaintChecker:
        return ComplaintChecker(spec, department_index())

    loader: Loader[ImportedTicket] = load
    return import_file(
        fh,
        filename=filename,
        kind=f"complaints_{source}",
        spec=spec.table,
        make_checker=make_checker,
        load=loader,
        dry_run=dry_run,
        progress=progress,
    )
