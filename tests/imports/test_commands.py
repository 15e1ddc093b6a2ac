from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from qijian.audit.models import AuditEvent
from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.org.models import Inspector
from tests.imports.files import ENTERPRISE_HEADERS, INSPECTOR_HEADERS, code, enterprise_row, inspector_row, write_csv

pytestmark = pytest.mark.django_db


def test_import_command_succeeds_and_records_the_user(county: County, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1)])
    out, err = io.StringIO(), io.StringIO()
    call_command("import_enterprises", str(path), "--user", "office", stdout=out, stderr=err)
    assert "导入成功" in out.getvalue() and Enterprise.objects.filter(uscc=code(1)).exists()
    assert "行" in err.getvalue()  # the progress bar goes to stderr
    event = AuditEvent.objects.get(action="enterprises.import")
    assert event.actor == county.user("office")


def test_import_command_fails_with_row_and_column_and_writes_nothing(county: County, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1), enterprise_row(2, 行业代码="X1")])
    report, out = tmp_path / "errors.xlsx", io.StringIO()
    with pytest.raises(CommandError, match="导入失败"):
        call_command("import_enterprises", str(path), "--errors-out", str(report), "--no-progress", stdout=out)
    assert "第3行“行业代码”列" in out.getvalue()
    assert not Enterprise.objects.filter(uscc=code(1)).exists()
    sheet = load_workbook(report).active
    assert sheet is not None and sheet.cell(row=1, column=len(ENTERPRISE_HEADERS) + 1).value == "错误信息"


def test_import_command_exits_non_zero_from_the_shell(
    county: County, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.management import ManagementUtility
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's connection open

    path = write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS])
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_enterprises", str(path), "--no-progress"]).execute()
    assert exited.value.code == 1


def test_dry_run_command_writes_nothing(county: County, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1)])
    out = io.StringIO()
    call_command("import_enterprises", str(path), "--dry-run", "--no-progress", stdout=out)
    assert "试运行通过" in out.getvalue() and not Enterprise.objects.filter(uscc=code(1)).exists()


def test_unknown_user_is_refused(county: County, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1)])
    with pytest.raises(CommandError, match="不存在"):
        call_command("import_enterprises", str(path), "--user", "nobody")


def test_department_admin_command_import_is_limited_to_own_department(county: County, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "i.csv", [INSPECTOR_HEADERS, inspector_row(1, department="CX-HB")])
    with pytest.raises(CommandError):
        call_command("import_inspectors", str(path), "--user", "dept_admin", "--no-progress", stdout=io.StringIO())
    assert Inspector.objects.count() == 2


def test_export_commands_write_restricted_files(county: County, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("export_enterprises", str(tmp_path / "e.xlsx"), "--user", "enterprise", stdout=out)
    call_command("export_inspectors", str(tmp_path / "i.csv"), "--user", "dept_admin", stdout=out)
    sheet = load_workbook(tmp_path / "e.xlsx").active
    assert sheet is not None and sheet.max_row == 2  # an enterprise user sees only itself
    inspectors = (tmp_path / "i.csv").read_text(encoding="utf-8-sig")
    assert "李四" in inspectors and "王五" not in inspectors
