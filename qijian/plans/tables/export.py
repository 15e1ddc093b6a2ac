"""One table of one plan as a file: what the download route and ``export_plan_table`` both call."""

from __future__ import annotations

from dataclasses import dataclass

from qijian.plans.models import Plan
from qijian.plans.tables.layouts import LAYOUTS, build_sheet, filename

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Exported:
    content: bytes
    filename: str
    content_type: str


def export_table(plan: Plan, table: str, fmt: str) -> Exported:
    """``table`` is "2-1", "2-2" or "5"; ``fmt`` "xlsx" or "pdf" (KeyError for anything else)."""
    from qijian.plans.tables.pdf import render_pdf
    from qijian.plans.tables.xlsx import render_xlsx

    if table not in LAYOUTS or fmt not in FORMATS:
        raise KeyError(f"unknown table {table!r} or format {fmt!r}")
    content_type = FORMATS[fmt]
    sheet = build_sheet(plan, table)
    content = render_xlsx(sheet) if fmt == "xlsx" else render_pdf(sheet)
    return Exported(content, filename(sheet, fmt), content_type)
