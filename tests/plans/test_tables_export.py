"""The printed tables: headers exactly as the county's forms, print setup, PDF pages, downloads, command."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from qijian.core.testing import County, login_verified
from qijian.plans.models import PlanEntry
from qijian.plans.tables.layouts import COMPLETION, MULTI_LEVEL, PLAN, build_sheet
from qijian.plans.tables.pdf import page_texts, render_html, render_pdf
from qijian.plans.tables.xlsx import FIRST_DATA_ROW, HEADER_ROW
from tests.plans.tables_fixtures import QUARTER, build, ent, entry, exported

pytestmark = pytest.mark.django_db

ATTACHMENT_HEADERS = {
    "2-1": "序号 | 检查事项 | 检查依据 | 检查类别 (双随机 / 非双随机) | "
    "检查对象 (企业名称及统一社会信用代码, 或抽查范围与比例) | 是否联合检查 | 联合部门 | "
    "计划检查时间 | 检查方式 (现场 / 非现场) | 预计检查户次 | 备注",
    "2-2": "序号 | 检查事项 | 检查类别 | 计划户次 | 实际户次 | 其中联合检查户次 | 其中非现场检查户次 | 发现问题户次 | "
    "柔性执法件数 (免罚 / 减轻处罚 / 不予强制) | 完成情况 (已完成 / 部分完成 / 未完成) | 未完成原因 | 备注",
    "5": "序号 | 检查层级 (国家 / 省 / 市 / 县 / 乡镇) | 实施部门 | 县级对口部门 | 检查事项 | 检查依据 | 检查对象 | "
    "计划检查时间 | 是否多层级联合 | 参与层级及部门 | 属地政府 (乡镇 / 沧东开发区管委会) 通知情况 | "
    "验收勘察安排 (最多一次) | 备注",
}


@pytest.mark.parametrize("layout", [PLAN, COMPLETION, MULTI_LEVEL], ids=lambda layout: layout.key)
def test_headers_are_the_attachments_headers_letter_for_letter(layout: Any) -> None:
    assert " | ".join(layout.headers) == ATTACHMENT_HEADERS[layout.key]


def test_plan_workbook_is_print_ready(county: County) -> None:
    setup = build(county)
    ws = exported(setup.plan, "2-1").active
    assert ws["A2"].value == "沧县涉企执法检查工作计划表" and "A2:K2" in ws.merged_cells
    assert ws["A3"].value == "填报单位：县应急管理局" and "2026年第4季度" in [c.value for c in ws[3]]
    assert [c.value for c in ws[HEADER_ROW]] == list(PLAN.headers)
    assert ws.cell(row=HEADER_ROW, column=1).font.b and ws.cell(row=HEADER_ROW, column=1).border.left.style
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == f"$3:${HEADER_ROW}" or ws.print_title_rows == f"3:{HEADER_ROW}"
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
    assert ws.column_dimensions["E"].width == 36
    assert str(ws.cell(row=FIRST_DATA_ROW + 4, column=1).value).startswith("单位负责人")


def test_plan_rows_use_the_documented_cell_formats(county: County) -> None:
    setup = build(county)
    rows = build_sheet(setup.plan, "2-1").rows
    joint = rows[1]
    assert joint[PLAN.column("检查对象") - 1] == f"{ent(county.enterprise)}；{ent(county.other_enterprise)}"
    assert joint[PLAN.column("是否联合检查") - 1] == "是" and joint[PLAN.column("联合部门") - 1] == "县生态环境分局"
    assert joint[PLAN.column("计划检查时间") - 1] == "2026-10-08至2026-12-20"
    assert rows[2][PLAN.column("检查方式") - 1] == "非现场" and rows[0][PLAN.column("检查类别") - 1] == "双随机"


def test_multi_level_table_lists_only_multi_level_entries(county: County) -> None:
    setup = build(county)
    rows = build_sheet(setup.plan, "5").rows
    assert len(rows) == 1
    assert rows[0][:4] == [1, "市", "沧州市应急管理局", "县应急管理局"]


def test_completion_cells_show_labels_and_the_leniency_counts(county: County) -> None:
    setup = build(county, status="approved")
    PlanEntry.objects.filter(plan=setup.plan).update(
        completion="partly", actual_count=1, joint_count=0, remote_count=0, problem_count=1,
        no_penalty_count=2, reduced_penalty_count=0, no_coercion_count=1, completion_reason="企业停产",
    )  # fmt: skip
    row = build_sheet(setup.plan, "2-2").rows[0]
    assert row[COMPLETION.column("柔性执法件数") - 1] == "免罚2/减轻处罚0/不予强制1"
    assert row[COMPLETION.column("完成情况") - 1] == "部分完成"


def test_pdf_of_a_long_plan_has_several_pages_each_with_the_headers(county: County) -> None:
    setup = build(county)
    for _ in range(60):
        entry(setup.plan, setup.items["targeted"], QUARTER, targets=[county.enterprise])
    sheet = build_sheet(setup.plan, "2-1")
    assert render_pdf(sheet).startswith(b"%PDF")
    pages = page_texts(sheet)
    assert len(pages) > 1
    assert "沧县涉企执法检查工作计划表" in pages[0]
    with_rows = [page for page in pages if "重大隐患专项检查" in page]
    assert len(with_rows) > 1
    assert all("检查对象" in page and "预计检查户次" in page and "填报单位" in page for page in with_rows)
    assert "单位负责人" in pages[-1] and "单位负责人" not in pages[0]


def test_pdf_html_carries_the_header_block_in_the_repeated_thead(county: County) -> None:
    setup = build(county)
    html = render_html(build_sheet(setup.plan, "5"))
    thead = html.split("<thead>")[1].split("</thead>")[0]
    assert "2026年第4季度" in thead and "属地政府 (乡镇 / 沧东开发区管委会) 通知情况" in thead
    assert "style=" not in html


# --- routes -----------------------------------------------------------------------------------------------


def _client(county: County, role: str, *, other: bool = False) -> Client:
    client = Client()
    login_verified(client, county.user(role, other=other))
    return client


def test_department_admin_downloads_its_plan_table_as_xlsx(county: County) -> None:
    setup = build(county)
    response = _client(county, "dept_admin").get(reverse("plans:table_export", args=[setup.plan.pk, "2-1", "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    ws: Any = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(row=FIRST_DATA_ROW, column=2).value == "安全生产双随机抽查"


def test_an_overseer_downloads_a_pdf_but_may_not_import(county: County) -> None:
    setup = build(county)
    client = _client(county, "supervisor")
    response = client.get(reverse("plans:table_export", args=[setup.plan.pk, "5", "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(reverse("plans:table_import", args=[setup.plan.pk, "2-1"])).status_code == 403


def test_another_departments_admin_gets_404(county: County) -> None:
    setup = build(county)
    client = _client(county, "dept_admin", other=True)
    assert client.get(reverse("plans:table_export", args=[setup.plan.pk, "2-1", "xlsx"])).status_code == 404
    assert client.get(reverse("plans:table_import", args=[setup.plan.pk, "2-1"])).status_code == 404


def test_uploading_a_bad_table_shows_the_problems_and_offers_the_error_report(county: County) -> None:
    from tests.plans.tables_fixtures import save

    setup = build(county)
    wb = exported(setup.plan, "2-1")
    wb.active.cell(row=FIRST_DATA_ROW, column=PLAN.column("计划检查时间"), value="2026-13-01")
    client = _client(county, "dept_admin")
    upload = io.BytesIO(save(wb))
    upload.name = "2-1.xlsx"
    url = reverse("plans:table_import", args=[setup.plan.pk, "2-1"])
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert f"第{FIRST_DATA_ROW}行 第8列(计划检查时间)" in response.content.decode()
    token = response.context["report_token"]
    report = client.get(reverse("plans:table_import_report", args=[token]))
    assert report.status_code == 200
    assert _client(county, "office").get(reverse("plans:table_import_report", args=[token])).status_code == 404


def test_uploading_a_good_table_redirects_to_the_plan(county: County) -> None:
    from tests.plans.tables_fixtures import save

    setup = build(county)
    upload = io.BytesIO(save(exported(setup.plan, "2-1")))
    upload.name = "2-1.xlsx"
    response = _client(county, "dept_admin").post(
        reverse("plans:table_import", args=[setup.plan.pk, "2-1"]), {"file": upload}
    )
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan_detail", args=[setup.plan.pk])


def test_export_command_writes_the_table(county: County, tmp_path: Path) -> None:
    setup = build(county)
    target = tmp_path / "plan.pdf"
    call_command("export_plan_table", str(setup.plan.pk), "--table", "2-2", "--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")


def test_the_office_downloads_every_departments_plan_table_in_one_workbook(county: County) -> None:
    from qijian.plans.models import Plan

    build(county)
    Plan.objects.create(department=county.other_dept, year=QUARTER.year, quarter=QUARTER.number)
    client = _client(county, "office")
    assert "2026年第4季度" in client.get(reverse("plans:table_county")).content.decode()
    response = client.get(reverse("plans:table_county_export", args=[QUARTER.year, QUARTER.number]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["1县生态环境分局", "2县应急管理局"]  # by department code
    assert workbook["2县应急管理局"].cell(row=FIRST_DATA_ROW, column=2).value == "安全生产双随机抽查"
    assert client.get(reverse("plans:table_county_export", args=[2030, 1])).status_code == 404
    assert _client(county, "dept_admin").get(reverse("plans:table_county")).status_code == 403


def test_the_import_page_explains_the_rules_of_its_table(county: County) -> None:
    setup = build(county)
    page = _client(county, "dept_admin").get(reverse("plans:table_import", args=[setup.plan.pk, "2-2"]))
    assert page.status_code == 200
    assert "按“序号”和“检查事项”对应" in page.content.decode()


def test_the_buttons_for_the_plan_page_link_every_table_and_format(county: County) -> None:
    from django.template.loader import render_to_string

    setup = build(county)
    html = render_to_string("plans/tables/_buttons.html", {"plan": setup.plan, "can_import": True})
    for table in ("2-1", "2-2", "5"):
        assert reverse("plans:table_import", args=[setup.plan.pk, table]) in html
        for fmt in ("xlsx", "pdf"):
            assert reverse("plans:table_export", args=[setup.plan.pk, table, fmt]) in html
    assert "导入" not in render_to_string("plans/tables/_buttons.html", {"plan": setup.plan})
