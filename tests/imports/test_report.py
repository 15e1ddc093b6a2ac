from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from qijian.core.imports.report import write_error_report
from qijian.core.testing import County
from qijian.enterprises.importing import import_enterprises
from tests.imports.files import ENTERPRISE_HEADERS, enterprise_row, write_csv

pytestmark = pytest.mark.django_db


def test_error_report_keeps_rows_in_place_with_an_error_column(county: County, tmp_path: Path) -> None:
    rows = [enterprise_row(1), [], enterprise_row(2, 所在乡镇="火星"), enterprise_row(3, 企业名称="=cmd|x")]
    path = write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, *rows])
    with path.open("rb") as fh:
        result, table = import_enterprises(fh, filename=path.name, actor=None)
        assert table is not None
        write_error_report(table, result, str(tmp_path / "report.xlsx"))
    sheet = load_workbook(tmp_path / "report.xlsx").active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][-1] == "错误信息" and values[0][:-1] == ENTERPRISE_HEADERS
    assert values[1][0] == rows[0][0] and not values[1][-1]
    assert all(v is None for v in values[2])  # the blank row 3 stays blank
    assert values[3][4] == "火星" and "所在乡镇" in str(values[3][-1]) and "[错误]" in str(values[3][-1])
    assert values[4][1] == "'=cmd|x"  # user data in the report is neutralised too
