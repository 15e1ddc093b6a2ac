"""Print-ready .xlsx of a table: title, header block, bordered header row, A4 landscape, repeated headers.

Rows: 1 the attachment label, 2 the title (merged), 3–4 the header block, 5 the column headers
(``HEADER_ROW``), then one row per entry, a blank row and the signature line. Rows 3–5 repeat on
every printed page; the panes freeze below row 5.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from qijian.core.exports import neutralise
from qijian.plans.tables.layouts import SIGNATURE, Sheet

HEADER_ROW = 5
FIRST_DATA_ROW = HEADER_ROW + 1
FONT = "宋体"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def render_xlsx(sheet: Sheet) -> bytes:
    workbook = Workbook()
    add_sheet(workbook, sheet, first=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def add_sheet(workbook: Workbook, sheet: Sheet, *, first: bool = False, name: str = "") -> Worksheet:
    ws: Worksheet = workbook.active if first else workbook.create_sheet()  # type: ignore[assignment]
    ws.title = (name or sheet.layout.label)[:31]
    _write_top(ws, sheet)
    _write_headers(ws, sheet)
    last = _write_rows(ws, sheet)
    _write_signature(ws, sheet, last + 2)
    _set_widths(ws, sheet)
    _set_print(ws, sheet)
    return ws


def _merge_text(ws: Worksheet, row: int, first: int, last: int, text: str, **style: Any) -> None:
    cell = ws.cell(row=row, column=first, value=text)
    for attr, value in style.items():
        setattr(cell, attr, value)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _write_top(ws: Worksheet, sheet: Sheet) -> None:
    width = len(sheet.layout.headers)
    unit, period, filler, phone, filed_on = sheet.block
    ws.cell(row=1, column=1, value=sheet.layout.label).font = Font(name=FONT, size=11)
    _merge_text(ws, 2, 1, width, sheet.title, font=Font(name=FONT, size=16, bold=True), alignment=_CENTER)
    ws.row_dimensions[2].height = 30
    half, third = width // 2, width // 3
    plain = {"font": Font(name=FONT, size=11), "alignment": Alignment(vertical="center")}
    _merge_text(ws, 3, 1, half, unit, **plain)
    _merge_text(ws, 3, half + 1, width, period, **plain)
    _merge_text(ws, 4, 1, third, filler, **plain)
    _merge_text(ws, 4, third + 1, 2 * third, phone, **plain)
    _merge_text(ws, 4, 2 * third + 1, width, filed_on, **plain)


def _write_headers(ws: Worksheet, sheet: Sheet) -> None:
    bold = Font(name=FONT, size=10, bold=True)
    for column, header in enumerate(sheet.layout.headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=column, value=header)
        cell.font, cell.border, cell.alignment = bold, _BORDER, _CENTER
    ws.row_dimensions[HEADER_ROW].height = 45


def _write_rows(ws: Worksheet, sheet: Sheet) -> int:
    body = Font(name=FONT, size=10)
    row_no = HEADER_ROW
    for row_no, values in enumerate(sheet.rows, start=FIRST_DATA_ROW):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row_no, column=column, value=neutralise(value))
            cell.font, cell.border = body, _BORDER
            cell.alignment = _CENTER if isinstance(value, int) else _WRAP
    return row_no


def _write_signature(ws: Worksheet, sheet: Sheet, row: int) -> None:
    width = len(sheet.layout.headers)
    _merge_text(ws, row, 1, width, SIGNATURE, font=Font(name=FONT, size=11), alignment=Alignment(horizontal="right"))


def _set_widths(ws: Worksheet, sheet: Sheet) -> None:
    for column, width in enumerate(sheet.layout.widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _set_print(ws: Worksheet, sheet: Sheet) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_title_rows = f"3:{HEADER_ROW}"
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    footer: Any = ws.oddFooter
    footer.center.text = "第 &P 页，共 &N 页"
    footer.left.text = sheet.layout.label
