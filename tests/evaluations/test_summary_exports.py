"""The summary's .xlsx and PDF: sheets, header block, numbers, charts, formula injection, Chinese text."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart
from pypdf import PdfReader

from qijian.core.calendar import Quarter
from qijian.core.testing import County
from qijian.evaluations import summary_svg
from qijian.evaluations.queries.summary import quarter_summary
from qijian.evaluations.summary_exports import summary_pdf, summary_xlsx
from qijian.evaluations.summary_tables import Preparer
from tests.evaluations import summary_factories as f

Q4 = Quarter(2026, 4)
TODAY = dt.date(2027, 1, 10)
NOV = dt.date(2026, 11, 16)
PREPARER = Preparer(unit="县司法局", filler="赵六", phone="0317-1234567", filed_on="2027-01-10")


@pytest.fixture
def filled(county: County) -> County:
    for satisfaction in ("非常满意", "满意", "不满意"):
        f.respond(county, day=NOV, satisfaction=satisfaction)
    f.respond(county, day=NOV, department=county.other_dept, enterprise=county.other_enterprise)
    f.follow_up(county, due_on=dt.date(2026, 12, 1))  # overdue
    f.complaint(county, day=NOV, summary='=HYPERLINK("http://evil")')
    f.alert(county, day=NOV, rule="R01")
    return county


def _workbook(county: County) -> object:
    data = summary_xlsx(quarter_summary(Q4, today=TODAY, details=True), PREPARER)
    return load_workbook(io.BytesIO(data))


def test_the_workbook_has_the_five_sheets_of_the_packet(filled: County) -> None:
    book = _workbook(filled)
    assert book.sheetnames == ["汇总", "满意度", "问题线索", "回访", "投诉与移送"]  # type: ignore[attr-defined]


def test_each_sheet_has_the_title_header_block_and_signature(filled: County) -> None:
    sheet = _workbook(filled)["汇总"]  # type: ignore[index]
    assert "2026年第4季度事后评价汇总表" in sheet["A1"].value
    texts = [c.value for row in sheet.iter_rows(min_row=2, max_row=3) for c in row if c.value]
    assert "填报单位：县司法局" in texts and "填报人：赵六" in texts and "联系电话：0317-1234567" in texts
    assert "填报日期：2027-01-10" in texts and any("2026年第4季度" in t for t in texts)
    assert [c.value for c in sheet[4]][:3] == ["序号", "部门", "应回访"]
    values = [c.value for c in sheet["A"] if c.value]
    assert "单位负责人：____________（盖章）" in values
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$2:$4"


def test_the_summary_sheet_holds_the_figures_and_the_county_total(filled: County) -> None:
    sheet = _workbook(filled)["汇总"]  # type: ignore[index]
    other, first, total = ([c.value for c in sheet[r]] for r in (5, 6, 7))  # departments by code
    assert first[:7] == [2, "县应急管理局", 4, 3, 1, 3, "3.67"]
    assert other[6] == "样本不足"
    assert total[1] == "全县合计" and total[2] == 5 and total[5] == 4


def test_satisfaction_and_follow_up_sheets_carry_native_bar_charts(filled: County) -> None:
    data = summary_xlsx(quarter_summary(Q4, today=TODAY), PREPARER)
    book = load_workbook(io.BytesIO(data))
    # openpyxl reads the charts back
    charts = {name: book[name]._charts for name in book.sheetnames}  # type: ignore[attr-defined]
    assert [name for name, found in charts.items() if found] == ["满意度", "回访"]
    assert all(isinstance(c, BarChart) for found in charts.values() for c in found)
    package = zipfile.ZipFile(io.BytesIO(data))
    assert sum("<barChart>" in package.read(n).decode() for n in package.namelist() if n.startswith("xl/charts/")) == 2
    satisfaction = book["满意度"]
    block = [(r[0].value, r[1].value) for r in satisfaction.iter_rows(min_row=5, min_col=12, max_col=13) if r[0].value]
    assert block == [("县应急管理局", pytest.approx(3.67))]  # 县生态环境分局: 样本不足, no bar


def test_clue_sheet_lists_counts_and_details_with_formulas_neutralised(filled: County) -> None:
    sheet = _workbook(filled)["问题线索"]  # type: ignore[index]
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "问题线索统计表" in values[0]
    assert any(v.startswith("'=HYPERLINK") for v in values)
    assert not any(v.startswith("=") for v in values)
    assert "沧县甲公司" in values


def test_a_department_export_has_no_details(filled: County) -> None:
    summary = quarter_summary(Q4, today=TODAY, department_id=filled.dept.pk)
    book = load_workbook(io.BytesIO(summary_xlsx(summary, PREPARER)))
    values = [c.value for row in book["问题线索"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "沧县甲公司" not in values and "全县合计" not in values


def test_the_pdf_prints_the_tables_in_chinese_with_svg_charts(filled: County) -> None:
    data = summary_pdf(quarter_summary(Q4, today=TODAY, details=True), PREPARER)
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        "事后评价汇总表",
        "企业满意度统计表",
        "问题线索和意见建议明细表",
        "回访情况统计表",
        "县应急管理局",
        "样本不足",
    ):
        assert expected in text
    assert "各部门企业满意度均分" in text and "各部门逾期未回访数" in text
    box = reader.pages[0].mediabox
    assert box.width > box.height  # A4 landscape


def test_the_svg_chart_scales_bars_to_the_maximum() -> None:
    chart = summary_svg.bar_chart("均分", [("甲", 5.0), ("乙", 2.5)], maximum=5)
    assert [b.width for b in chart.bars] == [460.0, 230.0]
    svg = summary_svg.render_svg(chart)
    assert svg.count("<rect") == 2 and "<script" not in svg
