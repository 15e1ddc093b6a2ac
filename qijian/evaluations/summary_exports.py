"""The quarterly summary as the joint meeting's packet: an .xlsx workbook and an A4-landscape PDF.

Workbook: sheets 汇总 / 满意度 / 问题线索 / 回访 / 投诉与移送, each with the title, the header block,
numbered rows, the 全县合计 row and the signature line, printed A4 landscape with the header rows
repeated; native Excel bar charts (openpyxl.chart.BarChart) of the satisfaction score and of the overdue
follow-ups per department, drawn from a labelled data block beside the table (a department shown as
"样本不足" has no bar). The 问题线索 sheet carries the clue details below the counts when the summary
has them (office and supervisor). Every cell goes through core.exports.neutralise (formula injection).

PDF: the same tables printed by WeasyPrint with Debian's Noto CJK fonts, as checkins/notices.py does,
the charts as server-rendered SVG (summary_svg.py) — nothing fetched, no JavaScript.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from qijian.audit.services import record_event
from qijian.core.exports import neutralise
from qijian.evaluations import summary_svg
from qijian.evaluations.queries.summary import Summary
from qijian.evaluations.summary_tables import (
    SIGNATURE,
    Preparer,
    Table,
    chart_series,
    detail_table,
    packet_tables,
    period,
    title_prefix,
)

HTML_TEMPLATE = "evaluations/summary/print.html"
STYLESHEET = "evaluations/summary/print.css"
HEADER_ROW = 4
FONT = "宋体"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
CHART_TITLES = {"满意度均分(5分制)": "各部门企业满意度均分(5分制)", "逾期未回访": "各部门逾期未回访数"}
CHART_MAXIMUM = {"满意度均分(5分制)": 5.0}
FORMATS = ("xlsx", "pdf")


class SummaryExportError(ValueError):
    """An export that cannot be made; the message is for the user (Chinese)."""


@transaction.atomic
def export_summary(*, actor: Any, summary: Summary, fmt: str, preparer: Preparer) -> bytes:
    """The packet as .xlsx or PDF. Audited: the office's and supervisor's packet names enterprises."""
    if fmt not in FORMATS:
        raise SummaryExportError(f"不支持的导出格式:{fmt}(应为 xlsx 或 pdf)")
    content = summary_xlsx(summary, preparer) if fmt == "xlsx" else summary_pdf(summary, preparer)
    record_event(
        actor=actor,
        action="evaluations.export_summary",
        target_type="evaluations.summary",
        target_id=summary.quarter.code,
        after={
            "quarter": summary.quarter.code,
            "format": fmt,
            "department_only": summary.department_only,
            "clue_details": len(summary.details),
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )
    return content


# --- xlsx ----------------------------------------------------------------------------------------------


def summary_xlsx(summary: Summary, preparer: Preparer) -> bytes:
    workbook = Workbook()
    block = preparer.block(period(summary))
    for index, table in enumerate(packet_tables(summary)):
        ws = workbook.active if index == 0 else workbook.create_sheet()
        assert isinstance(ws, Worksheet)
        ws.title = table.sheet
        row = _write_table(ws, table, block, 1)
        if table.sheet == "问题线索" and summary.details:
            row = _write_table(ws, detail_table(summary, title_prefix(summary)), None, row + 1)
        _merge_text(ws, row + 1, 1, len(table.headers), SIGNATURE, font=Font(name=FONT, size=11))
        ws.cell(row=row + 1, column=1).alignment = Alignment(horizontal="right")
        _set_print(ws, table)
        if table.chart:
            _add_chart(ws, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _merge_text(ws: Worksheet, row: int, first: int, last: int, text: str, **style: Any) -> None:
    cell = ws.cell(row=row, column=first, value=neutralise(text))
    for attr, value in style.items():
        setattr(cell, attr, value)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _write_block(ws: Worksheet, row: int, width: int, block: tuple[str, ...]) -> None:
    plain = {"font": Font(name=FONT, size=11), "alignment": Alignment(vertical="center")}
    unit, when, filler, phone, filed_on = block
    half, third = max(width // 2, 1), max(width // 3, 1)
    _merge_text(ws, row, 1, half, unit, **plain)
    _merge_text(ws, row, half + 1, width, when, **plain)
    _merge_text(ws, row + 1, 1, third, filler, **plain)
    _merge_text(ws, row + 1, third + 1, 2 * third, phone, **plain)
    _merge_text(ws, row + 1, 2 * third + 1, width, filed_on, **plain)


def _write_cells(ws: Worksheet, row: int, values: list[Any], font: Font) -> None:
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=neutralise(value))
        cell.font, cell.border = font, _BORDER
        cell.alignment = _CENTER if isinstance(value, int | float) or column == 1 else _WRAP
        if isinstance(value, float):
            cell.number_format = "0.00"


def _write_table(ws: Worksheet, table: Table, block: tuple[str, ...] | None, row: int) -> int:
    """Title, header block (first table of a sheet), headers, rows, total and note; the next free row."""
    width = len(table.headers)
    title_font = Font(name=FONT, size=16 if block else 13, bold=True)
    _merge_text(ws, row, 1, width, table.title, font=title_font, alignment=_CENTER)
    ws.row_dimensions[row].height = 30
    if block:
        _write_block(ws, row + 1, width, block)
        row += 2
    _write_cells(ws, row + 1, table.headers, Font(name=FONT, size=10, bold=True))
    ws.row_dimensions[row + 1].height = 40
    row += 1
    for values in table.rows:
        row += 1
        _write_cells(ws, row, values, Font(name=FONT, size=10))
    if table.total:
        row += 1
        _write_cells(ws, row, table.total, Font(name=FONT, size=10, bold=True))
    if table.note:
        row += 1
        _merge_text(ws, row, 1, width, f"说明:{table.note}", font=Font(name=FONT, size=9), alignment=_WRAP)
    for column, chars in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = max(
            chars, ws.column_dimensions[get_column_letter(column)].width or 0
        )
    return row + 1


def _set_print(ws: Worksheet, table: Table) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"2:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(len(table.headers))}{ws.max_row}"
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    footer: Any = ws.oddFooter
    footer.center.text = "第 &P 页，共 &N 页"


def _add_chart(ws: Worksheet, table: Table) -> None:
    """A bar chart of the table's chart column, from a data block two columns right of the table."""
    series = chart_series(table)
    column = len(table.headers) + 2
    ws.cell(row=HEADER_ROW, column=column, value="图表数据:部门")
    ws.cell(row=HEADER_ROW, column=column + 1, value=table.chart)
    for offset, (label, value) in enumerate(series, start=1):
        ws.cell(row=HEADER_ROW + offset, column=column, value=neutralise(label))
        ws.cell(row=HEADER_ROW + offset, column=column + 1, value=value)
    chart = BarChart()
    chart.type, chart.title, chart.style = "bar", CHART_TITLES[table.chart], 10
    chart.y_axis.title, chart.legend = table.chart, None
    last = HEADER_ROW + max(len(series), 1)
    chart.add_data(Reference(ws, min_col=column + 1, min_row=HEADER_ROW, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=column, min_row=HEADER_ROW + 1, max_row=last))
    if table.chart in CHART_MAXIMUM:
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, CHART_MAXIMUM[table.chart]
    chart.height, chart.width = 2 + 0.7 * max(len(series), 3), 18
    ws.add_chart(chart, f"{get_column_letter(column + 3)}{HEADER_ROW}")


# --- pdf -----------------------------------------------------------------------------------------------


def _svg_for(table: Table) -> str:
    if not table.chart:
        return ""
    chart = summary_svg.bar_chart(
        CHART_TITLES[table.chart], chart_series(table), maximum=CHART_MAXIMUM.get(table.chart)
    )
    return summary_svg.render_svg(chart)


def print_context(summary: Summary, preparer: Preparer) -> dict[str, Any]:
    tables = packet_tables(summary)
    if summary.details:
        tables.insert(3, detail_table(summary, title_prefix(summary)))
    return {
        "summary": summary,
        "block": preparer.block(period(summary)),
        "signature": SIGNATURE,
        "sections": [{"table": t, "svg": _svg_for(t)} for t in tables],
    }


def summary_html(summary: Summary, preparer: Preparer) -> str:
    return render_to_string(HTML_TEMPLATE, print_context(summary, preparer))


def summary_pdf(summary: Summary, preparer: Preparer) -> bytes:
    from weasyprint import CSS, HTML

    document = HTML(string=summary_html(summary, preparer)).render(
        stylesheets=[CSS(string=render_to_string(STYLESHEET))]
    )
    return document.write_pdf()  # type: ignore[no-any-return]
