"""A tampered or mistyped table is refused with its row and column, and the plan is left unchanged."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from qijian.core.testing import County
from qijian.plans.tables.importer import TableImportError, import_multi_level_table, import_plan_table
from qijian.plans.tables.layouts import PLAN
from qijian.plans.tables.xlsx import FIRST_DATA_ROW, HEADER_ROW
from tests.plans.tables_fixtures import Setup, build, exported, save, table_rows

pytestmark = pytest.mark.django_db


def _refused(setup: Setup, data: bytes, filename: str = "2-1.xlsx") -> list[str]:
    before = table_rows(setup.plan, "2-1")
    with pytest.raises(TableImportError) as caught:
        import_plan_table(actor=setup.county.user("dept_admin"), plan=setup.plan, data=data, filename=filename)
    assert table_rows(setup.plan, "2-1") == before
    return [p.describe() for p in caught.value.problems]


def _with_cell(setup: Setup, row: int, header: str, value: Any) -> bytes:
    wb = exported(setup.plan, "2-1")
    wb.active.cell(row=row, column=PLAN.column(header), value=value)
    return save(wb)


def test_a_changed_header_is_named_with_its_column(county: County) -> None:
    setup = build(county)
    problems = _refused(setup, _with_cell(setup, HEADER_ROW, "计划检查时间", "检查时间"))
    assert problems == [
        f"第{HEADER_ROW}行 第8列(计划检查时间):表头应为“计划检查时间”,实为“检查时间”(表头不得修改或调换顺序)"
    ]


def test_swapped_columns_are_refused(county: County) -> None:
    setup = build(county)
    wb = exported(setup.plan, "2-1")
    ws = wb.active
    a, b = ws.cell(row=HEADER_ROW, column=6), ws.cell(row=HEADER_ROW, column=7)
    a.value, b.value = b.value, a.value
    problems = _refused(setup, save(wb))
    assert [p.split(":")[0] for p in problems] == [
        f"第{HEADER_ROW}行 第6列(是否联合检查)",
        f"第{HEADER_ROW}行 第7列(联合部门)",
    ]


def test_an_impossible_date_names_row_and_column(county: County) -> None:
    setup = build(county)
    problems = _refused(setup, _with_cell(setup, FIRST_DATA_ROW + 1, "计划检查时间", "2026-13-01至2026-12-20"))
    assert problems == [f"第{FIRST_DATA_ROW + 1}行 第8列(计划检查时间):日期“2026-13-01”不存在"]


def test_an_unknown_uscc_names_row_and_column(county: County) -> None:
    setup = build(county)
    data = _with_cell(setup, FIRST_DATA_ROW, "检查对象", "不存在公司(91130921MA0XXXXX0X)")
    assert _refused(setup, data) == [
        f"第{FIRST_DATA_ROW}行 第5列(检查对象):未找到统一社会信用代码为 91130921MA0XXXXX0X 的企业"
    ]


def test_an_item_outside_the_catalog_is_refused_as_r04(county: County) -> None:
    setup = build(county)
    problems = _refused(setup, _with_cell(setup, FIRST_DATA_ROW + 2, "检查事项", "消防安全检查"))
    assert problems[0].startswith(f"第{FIRST_DATA_ROW + 2}行 第2列(检查事项):检查事项“消防安全检查”不在")
    assert problems[0].endswith("(R04)")


def test_every_bad_row_is_reported_at_once(county: County) -> None:
    setup = build(county)
    wb = exported(setup.plan, "2-1")
    ws = wb.active
    ws.cell(row=FIRST_DATA_ROW, column=PLAN.column("预计检查户次"), value="三")
    ws.cell(row=FIRST_DATA_ROW + 1, column=PLAN.column("是否联合检查"), value="可能")
    ws.cell(row=FIRST_DATA_ROW + 2, column=PLAN.column("联合部门"), value="县不存在局")
    problems = _refused(setup, save(wb))
    assert [p.split(":")[0] for p in problems] == [
        f"第{FIRST_DATA_ROW}行 第10列(预计检查户次)",
        f"第{FIRST_DATA_ROW + 1}行 第6列(是否联合检查)",
        f"第{FIRST_DATA_ROW + 2}行 第7列(联合部门)",
    ]


def test_a_service_refusal_is_mapped_to_its_row_and_nothing_is_written(county: County) -> None:
    setup = build(county)
    problems = _refused(setup, _with_cell(setup, FIRST_DATA_ROW + 1, "计划检查时间", "2027-01-05至2027-01-20"))
    assert problems[0].startswith(f"第{FIRST_DATA_ROW + 1}行:计划检查时间须在2026年第4季度内")


def test_a_text_file_named_xlsx_is_refused(county: County) -> None:
    setup = build(county)
    problems = _refused(setup, "序号,检查事项\n1,x\n".encode(), filename="计划.xlsx")
    assert problems == ["不是有效的 .xlsx 文件(文件已损坏,或只是改了扩展名)"]


def test_a_file_without_the_header_row_is_refused(county: County) -> None:
    setup = build(county)
    assert _refused(setup, "甲,乙\n1,2\n".encode(), filename="计划.csv")[0].startswith("未找到表头行")


def test_the_completion_table_uploaded_as_the_plan_table_is_named(county: County) -> None:
    setup = build(county)
    problems = _refused(setup, save(exported(setup.plan, "2-2")))
    assert problems == [
        f"第{HEADER_ROW}行:这是附件2-2涉企执法检查完成情况表的表头,不是附件2-1涉企执法检查工作计划表;请在对应的入口导入"
    ]


def test_another_departments_header_block_is_refused(county: County) -> None:
    setup = build(county)
    problems = _refused(setup, _with_cell(setup, 3, "序号", "填报单位：县生态环境分局"))
    assert problems == ["第3行 第1列(填报单位):填报单位“县生态环境分局”与本计划的部门“县应急管理局”不符"]


def test_an_approved_plan_takes_no_plan_table(county: County) -> None:
    setup = build(county, status="approved")
    problems = _refused(setup, save(exported(setup.plan, "2-1")))
    assert problems[0].startswith("计划当前状态为“已审定”")


def test_a_county_row_in_the_multi_level_table_is_refused(county: County) -> None:
    setup = build(county)
    wb = exported(setup.plan, "5")
    wb.active.cell(row=FIRST_DATA_ROW, column=2, value="县")
    wb.active.cell(row=FIRST_DATA_ROW, column=9, value="否")
    with pytest.raises(TableImportError) as caught:
        import_multi_level_table(actor=county.user("dept_admin"), plan=setup.plan, data=save(wb), filename="5.xlsx")
    assert caught.value.problems[0].describe().startswith(f"第{FIRST_DATA_ROW}行 第2列(检查层级):县级且非多层级联合")


def test_the_error_report_marks_each_bad_row_in_an_error_column(county: County) -> None:
    setup = build(county)
    data = _with_cell(setup, FIRST_DATA_ROW + 1, "计划检查时间", "2026-13-01至2026-12-20")
    with pytest.raises(TableImportError) as caught:
        import_plan_table(actor=county.user("dept_admin"), plan=setup.plan, data=data, filename="2-1.xlsx")
    assert caught.value.report is not None
    ws: Any = load_workbook(io.BytesIO(caught.value.report)).active
    last = len(PLAN.headers) + 1
    assert ws.cell(row=HEADER_ROW, column=last).value == "错误信息"
    assert "第8列(计划检查时间)" in ws.cell(row=FIRST_DATA_ROW + 1, column=last).value
    assert ws.cell(row=FIRST_DATA_ROW, column=last).value in (None, "")
