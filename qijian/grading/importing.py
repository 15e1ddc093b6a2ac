"""Importing grading indicator values (credit and tax ratings, high-tech status, employment, tax, incidents).

One row per enterprise and data year; all or nothing (qijian/core/imports). A row for an enterprise and
year already stored replaces it (a blank cell stores "no data"). Columns: docs/grading.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from qijian.core import calendar
from qijian.core.imports.errors import Issues
from qijian.core.imports.reader import Cell, Column, Table, TableSpec
from qijian.core.imports.runner import ImportResult, Loader, import_file
from qijian.core.imports.values import choice_hint, text
from qijian.enterprises.models import Enterprise
from qijian.grading.choices import CreditRating, TaxRating
from qijian.grading.services import record_indicator_values

COLUMNS = (
    Column("uscc", "统一社会信用代码", True, ("社会信用代码", "信用代码")),
    Column("year", "数据年度", True, ("年度",)),
    Column("credit_rating", "公共信用综合评价等级", False, ("信用等级", "公共信用等级")),
    Column("tax_rating", "纳税信用等级", False, ("纳税信用级别",)),
    Column("high_tech", "高新技术企业", False, ("是否高新技术企业",)),
    Column("employees", "从业人数", False, ("职工人数", "就业人数")),
    Column("tax_paid", "年纳税额(万元)", False, ("纳税额(万元)", "年纳税额")),
    Column("safety_incidents", "安全生产事故起数", False, ("安全事故起数",)),
)
SPEC = TableSpec(COLUMNS, ignored=("错误信息", "企业名称"))
HEADERS = tuple(c.header for c in COLUMNS)
H = {c.field: c.header for c in COLUMNS}
_YES = {"是": True, "Y": True, "y": True, "1": True, "否": False, "N": False, "n": False, "0": False}
_LEVELS = {"credit_rating": CreditRating, "tax_rating": TaxRating}
_FIRST_YEAR = 2000
_TAX_LIMIT = Decimal("999999999999.99")


@dataclass
class IndicatorChecker:
    enterprises: dict[str, int]  # credit code -> enterprise id
    issues: Issues = field(default_factory=Issues)
    seen: dict[tuple[str, int], int] = field(default_factory=dict)

    def check(self, row_no: int, row: dict[str, Cell]) -> dict[str, Any] | None:
        before = self.issues.error_count
        values: dict[str, Any] = {"uscc": text(row["uscc"]).upper(), "year": self._year(row_no, row["year"])}
        values["enterprise_id"] = self._enterprise(row_no, values["uscc"])
        for name in _LEVELS:
            values[name] = self._level(row_no, name, row.get(name, ""))
        values["high_tech"] = self._flag(row_no, row.get("high_tech", ""))
        values["employees"] = self._count(row_no, "employees", row.get("employees", ""))
        values["safety_incidents"] = self._count(row_no, "safety_incidents", row.get("safety_incidents", ""))
        values["tax_paid"] = self._money(row_no, row.get("tax_paid", ""))
        self._duplicate(row_no, values)
        return values if self.issues.error_count == before else None

    def _enterprise(self, row_no: int, uscc: str) -> int | None:
        found = self.enterprises.get(uscc)
        if not uscc:
            self.issues.error(row_no, H["uscc"], "必填项为空")
        elif found is None:
            self.issues.error(row_no, H["uscc"], f"未找到统一社会信用代码为“{uscc}”的企业(须先登记企业)")
        return found

    def _year(self, row_no: int, raw: Cell) -> int | None:
        value, latest = text(raw), calendar.local_today().year
        if not (value.isascii() and value.isdigit()) or not _FIRST_YEAR <= int(value) <= latest:
            self.issues.error(row_no, H["year"], f"应为{_FIRST_YEAR}至{latest}之间的年份(实际“{value}”)")
            return None
        return int(value)

    def _level(self, row_no: int, name: str, raw: Cell) -> str:
        value = text(raw).upper().removesuffix("级")
        if value and value not in _LEVELS[name].values:
            self.issues.error(row_no, H[name], f"无法识别“{text(raw)}”,应为:{'、'.join(_LEVELS[name].values)}")
            return ""
        return value

    def _flag(self, row_no: int, raw: Cell) -> bool | None:
        value = text(raw)
        if value and value not in _YES:
            self.issues.error(row_no, H["high_tech"], f"无法识别“{value}”,应为“是”或“否”")
        return _YES.get(value) if value else None

    def _count(self, row_no: int, name: str, raw: Cell) -> int | None:
        value = text(raw)
        if not value:
            return None
        if not (value.isascii() and value.isdigit()) or len(value) > 8 or int(value) > 10_000_000:
            self.issues.error(row_no, H[name], f"应为不小于0的整数(实际“{value}”)")
            return None
        return int(value)

    def _money(self, row_no: int, raw: Cell) -> Decimal | None:
        value = text(raw).replace(",", "")
        if not value:
            return None
        try:
            amount = Decimal(value)
            amount = amount.quantize(Decimal("0.01")) if amount.is_finite() else Decimal(-1)  # NaN, Infinity
        except InvalidOperation:
            amount = Decimal(-1)
        if not Decimal(0) <= amount <= _TAX_LIMIT:
            self.issues.error(row_no, H["tax_paid"], f"应为不小于0的金额(万元,实际“{value}”)")
            return None
        return amount

    def _duplicate(self, row_no: int, values: dict[str, Any]) -> None:
        if not values["uscc"] or values["year"] is None:
            return
        key = (values["uscc"], values["year"])
        first = self.seen.setdefault(key, row_no)
        if first != row_no:
            self.issues.error(row_no, H["uscc"], f"与第{first}行的企业和年度重复")
            self.issues.error(first, H["uscc"], f"与第{row_no}行的企业和年度重复")


def level_hint() -> str:
    return f"公共信用综合评价等级:{choice_hint(CreditRating.choices)};纳税信用等级:{choice_hint(TaxRating.choices)}"


def import_indicators(
    fh: IO[bytes],
    *,
    filename: str,
    actor: Any,
    dry_run: bool = False,
    progress: Callable[[Table], Any] | None = None,
) -> tuple[ImportResult, Table | None]:
    """Validate every row and store all the indicator values, or none of them."""

    def load(rows: Iterator[dict[str, Any]], expected: int) -> int:
        return record_indicator_values(actor=actor, rows=rows, source=filename[:255])

    def make_checker() -> IndicatorChecker:
        return IndicatorChecker(dict(Enterprise.objects.values_list("uscc", "id")))

    loader: Loader[dict[str, Any]] = load
    return import_file(
        fh,
        filename=filename,
        kind="grading_indicators",
        spec=SPEC,
        make_checker=make_checker,
        load=loader,
        dry_run=dry_run,
        progress=progress,
    )
