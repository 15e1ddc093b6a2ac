from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qijian.core.exports import neutralise, write_table
from qijian.core.testing import County
from qijian.enterprises.importing import EXPORT_HEADERS, export_enterprises
from qijian.enterprises.models import Enterprise

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_like_text_gets_a_leading_apostrophe(value: str) -> None:
    assert neutralise(value) == "'" + value


def test_numbers_stay_numbers_and_plain_text_is_unchanged() -> None:
    assert neutralise(-5) == -5 and neutralise(-2.5) == -2.5 and neutralise("沧县-甲") == "沧县-甲"


def test_xlsx_export_holds_no_formula_cells(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_table(str(path), ["值", "数"], [[v, -1] for v in DANGEROUS], title="测试")
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = [row for row in sheet.iter_rows(min_row=2)]
    assert all(c[0].data_type == "s" and str(c[0].value).startswith("'") for c in cells)
    assert all(c[1].value == -1 and c[1].data_type == "n" for c in cells)


def test_csv_export_is_utf8_with_bom_and_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_table(str(path), ["名称", "数"], [["=1+1", -3], ["沧县", 4]], title="测试")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [["名称", "数"], ["'=1+1", "-3"], ["沧县", "4"]]
    assert b'"\'=1+1",-3' in raw  # text quoted, numbers bare


@pytest.mark.django_db
def test_enterprise_export_neutralises_a_hostile_name(county: County, tmp_path: Path) -> None:
    Enterprise.objects.filter(pk=county.enterprise.pk).update(name='=HYPERLINK("http://evil")')
    path = tmp_path / "e.xlsx"
    assert export_enterprises(Enterprise.objects.filter(pk=county.enterprise.pk), str(path)) == 1
    sheet = load_workbook(path).active
    assert sheet is not None
    header, row = [[c.value for c in r] for r in sheet.iter_rows()]
    assert tuple(header) == EXPORT_HEADERS
    assert row[1] == '\'=HYPERLINK("http://evil")' and row[2] == "公司" and row[12] == "B类"
