"""Importing 12345 hotline and 企业家直通车 exports: mapping, row errors, all or nothing, re-imports skipped,
the management command and the upload page."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from qijian.audit.models import AuditEvent
from qijian.core.calendar import local_zone
from qijian.core.testing import County, login_verified
from qijian.evaluations.complaint_importing import import_complaints
from qijian.evaluations.models import Complaint
from tests.evaluations.complaint_factories import DATA


def _run(county: County, name: str, source: str, **kw: Any) -> Any:
    with (DATA / name).open("rb") as fh:
        return import_complaints(fh, source=source, filename=name, actor=county.user("office"), **kw)


def test_hotline_export_is_imported_with_links_and_ticket_numbers(county: County) -> None:
    result, _ = _run(county, "hotline-2026-03.csv", "hotline")
    assert result.ok and result.created == 3, result.issues.items
    first = Complaint.objects.get(external_id="CZ12345-20260302-0158")
    assert first.source == "hotline" and first.enterprise == county.enterprise and first.department == county.dept
    assert first.complainant == "刘先生" and first.contact == "13931700158"
    second = Complaint.objects.get(external_id="CZ12345-20260305-0412")
    assert second.enterprise == county.other_enterprise and second.department == county.other_dept
    assert Complaint.objects.get(external_id="CZ12345-20260311-0077").enterprise is None
    assert AuditEvent.objects.filter(action="evaluations.import_complaint").count() == 3


def test_direct_xlsx_export_maps_its_own_headers_and_keeps_the_title(county: County) -> None:
    result, _ = _run(county, "direct-2026-03.xlsx", "direct")
    assert result.ok and result.created == 2, result.issues.items
    row = Complaint.objects.get(source="direct", external_id="ZTC-2026-0031")
    assert row.summary.startswith("【检查频次过高】") and row.department == county.dept
    assert row.complainant == "张建国" and row.contact == "zhang.jianguo@jia.example.cn"


def test_received_time_is_local_time(county: County) -> None:
    _run(county, "direct-2026-03.xlsx", "direct")
    row = Complaint.objects.get(external_id="ZTC-2026-0031")
    assert row.received_at.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M") == "2026-03-03 16:20"


def test_a_reimported_ticket_is_skipped_and_reported(county: County) -> None:
    _run(county, "hotline-2026-03.csv", "hotline")
    result, _ = _run(county, "hotline-2026-03.csv", "hotline")
    assert result.ok and result.created == 0
    assert [i.level for i in result.issues.items] == ["warning"] * 3
    assert "已导入" in result.issues.items[0].message and result.issues.items[0].row == 2
    assert Complaint.objects.count() == 3


def test_the_same_ticket_number_from_another_source_is_a_new_complaint(county: County) -> None:
    _run(county, "hotline-2026-03.csv", "hotline")
    content = "诉求编号,提交时间,诉求内容\nCZ12345-20260302-0158,2026-03-04 10:00,企业反映检查过多。\n"
    result, _ = import_complaints(io.BytesIO(content.encode()), source="direct", filename="d.csv", actor=None)
    assert result.ok and result.created == 1


def test_broken_rows_are_reported_by_row_and_column_and_nothing_is_written(county: County) -> None:
    result, _ = _run(county, "hotline-broken.csv", "hotline")
    assert not result.ok and result.created == 0
    found = {(i.row, i.column) for i in result.issues.items}
    assert found == {(2, "涉及企业"), (3, "来电时间"), (4, "涉及部门"), (5, "工单编号"), (6, "诉求内容")}
    assert "沧县不存在公司" in next(i.message for i in result.issues.items if i.row == 2)
    assert not Complaint.objects.exists() and not AuditEvent.objects.filter(action="evaluations.import_complaint")


def test_a_department_that_is_not_the_filings_is_a_row_error(county: County) -> None:
    from tests.evaluations.complaint_factories import build_inspection

    build_inspection(county)
    content = "工单编号,来电时间,涉及部门,报备编号,诉求内容\nT-1,2026-03-02 09:00,县生态环境分局,BB1,检查超范围。\n"
    result, _ = import_complaints(io.BytesIO(content.encode()), source="hotline", filename="h.csv", actor=None)
    assert not result.ok and result.issues.items[0].column == "报备编号"
    assert "报备部门" in result.issues.items[0].message


def test_a_future_call_time_and_an_unknown_column_are_refused(county: County) -> None:
    future = "工单编号,来电时间,诉求内容\nT-2,2099-01-01 09:00,内容\n"
    result, _ = import_complaints(io.BytesIO(future.encode()), source="hotline", filename="h.csv", actor=None)
    assert result.issues.items[0].column == "来电时间" and not Complaint.objects.exists()
    unknown = "工单编号,来电时间,诉求内容,坐席工号\nT-3,2026-03-01 09:00,内容,007\n"
    result, _ = import_complaints(io.BytesIO(unknown.encode()), source="hotline", filename="h.csv", actor=None)
    assert result.file_error is not None and "坐席工号" in result.file_error.describe()


def test_gbk_csv_from_the_hotline_platform_is_read(county: County) -> None:
    content = "工单编号,来电时间,诉求人,诉求内容\nT-9,2026年3月2日 9:05,刘先生,检查人员未出示证件。\n"
    result, _ = import_complaints(io.BytesIO(content.encode("gb18030")), source="hotline", filename="h.csv", actor=None)
    assert result.ok and Complaint.objects.get().complainant == "刘先生"


def test_command_imports_and_fails_on_errors_with_an_error_report(county: County, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "import_complaints", str(DATA / "hotline-2026-03.csv"), "--source", "hotline", "--no-progress", stdout=out
    )
    assert "导入成功" in out.getvalue() and Complaint.objects.count() == 3
    report = tmp_path / "errors.xlsx"
    with pytest.raises(CommandError, match="导入失败"):
        call_command(
            "import_complaints",
            str(DATA / "hotline-broken.csv"),
            "--source=hotline",
            f"--errors-out={report}",
            "--no-progress",
            stdout=io.StringIO(),
        )
    sheet = openpyxl.load_workbook(report).active
    assert sheet is not None and sheet.cell(1, sheet.max_column).value == "错误信息"
    assert "涉及企业" in str(sheet.cell(2, sheet.max_column).value)
    assert Complaint.objects.count() == 3


def test_upload_page_imports_and_offers_the_error_report(
    county: County, client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    login_verified(client, county.user("supervisor"))
    with (DATA / "hotline-broken.csv").open("rb") as fh:
        response = client.post(reverse("evaluations:complaint_import"), {"source": "hotline", "file": fh})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "导入失败" in page.content.decode() and "下载错误报告" in page.content.decode()
    token = response["Location"].rstrip("/").split("/")[-1]
    report = client.get(reverse("evaluations:complaint_import_report", args=[token]))
    assert report.status_code == 200 and not Complaint.objects.exists()
    with (DATA / "direct-2026-03.xlsx").open("rb") as fh:
        response = client.post(reverse("evaluations:complaint_import"), {"source": "direct", "file": fh})
    assert "导入成功" in client.get(response["Location"]).content.decode()
    assert Complaint.objects.filter(source="direct").count() == 2


def test_the_upload_page_is_refused_to_departments(county: County, client: Client) -> None:
    login_verified(client, county.user("dept_admin"))
    assert client.get(reverse("evaluations:complaint_import")).status_code == 403


def test_blank_templates_carry_each_sources_headers(county: County, client: Client) -> None:
    login_verified(client, county.user("office"))
    response = client.get(reverse("evaluations:complaint_template_direct"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and [c.value for c in sheet[1]][:2] == ["诉求编号", "提交时间"]
