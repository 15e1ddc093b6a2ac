"""Importing indicator values: .csv and .xlsx, row-and-column errors, all or nothing, the command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from qijian.core.testing import County
from qijian.grading.importing import HEADERS, import_indicators
from qijian.grading.models import IndicatorValue

pytestmark = pytest.mark.django_db
HEADER = ",".join(HEADERS)


def run(text: str, county: County, *, dry_run: bool = False) -> object:
    fh = io.BytesIO(text.encode("utf-8"))
    result, _ = import_indicators(fh, filename="指标.csv", actor=county.user("office"), dry_run=dry_run)
    return result


def test_a_valid_csv_is_stored(county: County) -> None:
    first = f'{county.enterprise.uscc},2025,A级,b,是,120,"1,234.5",0'
    text = f"{HEADER}\n{first}\n{county.other_enterprise.uscc},2025,,,否,,,\n"
    result = run(text, county)
    assert result.ok and result.created == 2  # type: ignore[attr-defined]
    first = IndicatorValue.objects.get(enterprise=county.enterprise)
    assert (first.credit_rating, first.tax_rating, first.high_tech, first.employees) == ("A", "B", True, 120)
    assert str(first.tax_paid) == "1234.50" and first.source == "指标.csv"
    second = IndicatorValue.objects.get(enterprise=county.other_enterprise)
    assert (second.credit_rating, second.high_tech, second.employees) == ("", False, None)


def test_any_bad_row_writes_nothing_and_names_row_and_column(county: County) -> None:
    text = (
        f"{HEADER}\n{county.enterprise.uscc},2025,A,A,是,10,5,0\n"
        "91130921MA0XXXXX1X,2025,E,A,也许,-3,abc,1\n"
        f"{county.enterprise.uscc},2025,B,B,否,1,1,0\n"
    )
    result = run(text, county)
    found = {(i.row, i.column) for i in result.issues.items}  # type: ignore[attr-defined]
    assert {
        (3, "统一社会信用代码"),
        (3, "公共信用综合评价等级"),
        (3, "高新技术企业"),
        (3, "从业人数"),
        (3, "年纳税额(万元)"),
        (2, "统一社会信用代码"),  # duplicated enterprise and year: both rows named
        (4, "统一社会信用代码"),
    } <= found
    assert not result.ok and not IndicatorValue.objects.exists()  # type: ignore[attr-defined]


def test_a_future_year_is_refused(county: County) -> None:
    result = run(f"{HEADER}\n{county.enterprise.uscc},2999,A,A,是,1,1,0\n", county)
    assert [(i.row, i.column) for i in result.issues.items] == [(2, "数据年度")]  # type: ignore[attr-defined]


def test_dry_run_checks_without_writing(county: County) -> None:
    result = run(f"{HEADER}\n{county.enterprise.uscc},2025,A,A,是,1,1,0\n", county, dry_run=True)
    assert result.ok and not IndicatorValue.objects.exists()  # type: ignore[attr-defined]


def test_the_command_imports_an_xlsx_and_fails_on_errors(county: County, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append(list(HEADERS))
    sheet.append([county.enterprise.uscc, 2025, "A", "A", "是", 300, 800.5, 0])
    good = tmp_path / "good.xlsx"
    book.save(good)
    out = io.StringIO()
    call_command("import_grading_indicators", str(good), "--no-progress", "--user", "office", stdout=out)
    assert "导入成功" in out.getvalue() and IndicatorValue.objects.get().employees == 300
    sheet.append(["91130921MA0XXXXX1X", 2025, "A", "A", "是", 1, 1, 0])
    book.save(good)
    with pytest.raises(CommandError, match="导入失败"):
        call_command("import_grading_indicators", str(good), "--no-progress", stdout=io.StringIO())


def test_nan_and_unicode_digits_are_row_errors_not_crashes(county: County) -> None:
    """``Decimal("NaN")`` and ``"²".isdigit()`` used to escape the checks and crash the import."""
    uscc, other = county.enterprise.uscc, county.other_enterprise.uscc
    text = f"{HEADER}\n{uscc},2025,A,A,否,10,NaN,0\n{other},²⁰²⁵,A,A,否,²,Infinity,0\n"
    result = run(text, county)
    found = {(i.row, i.column) for i in result.issues.items}  # type: ignore[attr-defined]
    assert {(2, "年纳税额(万元)"), (3, "数据年度"), (3, "从业人数"), (3, "年纳税额(万元)")} <= found
    assert not result.ok and not IndicatorValue.objects.exists()  # type: ignore[attr-defined]
