from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qijian.audit.models import AuditEvent
from qijian.core.imports.runner import ImportResult
from qijian.core.testing import County
from qijian.org.importing import export_inspectors, import_inspectors
from qijian.org.models import Department, Inspector
from tests.imports.files import INSPECTOR_HEADERS, inspector_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def run(path: Path, *, own: Department | None = None) -> ImportResult:
    with path.open("rb") as fh:
        result, _ = import_inspectors(fh, filename=path.name, actor=None, own_department=own)
    return result


def test_valid_xlsx_registers_inspectors_by_department_code_or_name(county: County, tmp_path: Path) -> None:
    rows = [inspector_row(1), inspector_row(2, department="县生态环境分局", 证件有效期起=dt.datetime(2023, 3, 1))]
    result = run(write_xlsx(tmp_path / "i.xlsx", [INSPECTOR_HEADERS, *rows]))
    assert result.ok and result.created == 2, result.summary()
    second = Inspector.objects.get(certificate_no="130921900002")
    assert second.department == county.other_dept and second.certificate_valid_from == dt.date(2023, 3, 1)
    assert second.certificate_valid_until == dt.date(2028, 12, 31) and second.status == "active"
    assert AuditEvent.objects.filter(action="org.register_inspectors").count() == 1


def test_department_admin_cannot_import_another_departments_inspector(county: County, tmp_path: Path) -> None:
    rows = [inspector_row(1), inspector_row(2, department="CX-HB")]
    result = run(write_csv(tmp_path / "i.csv", [INSPECTOR_HEADERS, *rows]), own=county.dept)
    assert [(i.row, i.column) for i in result.issues.items] == [(3, "所属部门")]
    assert "只能导入本部门" in result.issues.items[0].message
    assert not Inspector.objects.filter(certificate_no="130921900001").exists()


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("执法证号", "13092100001", "已在系统中登记"),
        ("所属部门", "县教育局", "未找到部门"),
        ("证件有效期至", "2023-01-01", "早于有效期起"),
        ("证件有效期起", "", "必填项为空"),
        ("状态", "退休", "无法识别"),
    ],
)
def test_bad_inspector_cell_names_row_and_column(
    county: County, tmp_path: Path, column: str, value: str, fragment: str
) -> None:
    result = run(write_csv(tmp_path / "i.csv", [INSPECTOR_HEADERS, inspector_row(1, **{column: value})]))
    assert [(i.row, i.column) for i in result.issues.items] == [(2, column)]
    assert fragment in result.issues.items[0].message and Inspector.objects.count() == 2


def test_duplicate_certificate_in_file_names_both_rows(county: County, tmp_path: Path) -> None:
    rows = [inspector_row(1), inspector_row(2, 执法证号="130921900001")]
    result = run(write_csv(tmp_path / "i.csv", [INSPECTOR_HEADERS, *rows]))
    assert {i.row for i in result.issues.items} == {2, 3} and Inspector.objects.count() == 2


def test_inspector_export_lists_department_and_status_labels(county: County, tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    assert export_inspectors(Inspector.objects.filter(department=county.dept), str(path)) == 1
    text = path.read_text(encoding="utf-8-sig")
    assert "李四" in text and "县应急管理局" in text and "在岗" in text and "王五" not in text
