"""One table of one plan as a file: what the download route and ``export_plan_table`` both call."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from qijian.plans.choices import PlanKind
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


def county_plan_workbook(year: int, quarter: int) -> Exported | None:
    """Every department's 附件2-1 of one quarter in one workbook, a sheet per department (None: no plans)."""
    from openpyxl import Workbook

    from qijian.plans.tables.xlsx import add_sheet

    plans = list(
        Plan.objects.filter(kind=PlanKind.QUARTERLY, year=year, quarter=quarter)
        .select_related("department")
        .order_by("department__code")
    )
    if not plans:
        return None
    workbook = Workbook()
    for index, plan in enumerate(plans):
        add_sheet(workbook, build_sheet(plan, "2-1"), first=index == 0, name=_sheet_name(plan, index))
    buffer = io.BytesIO()
    workbook.save(buffer)
    name = f"附件2-1涉企执法检查工作计划表-全县-{year}年第{quarter}季度.xlsx"
    return Exported(buffer.getvalue(), name, FORMATS["xlsx"])


def _sheet_name(plan: Plan, index: int) -> str:
    """A sheet title Excel accepts: short, unique, none of []:*?/\\."""
    name = re.sub(r"[\[\]:*?/\\]", "", plan.department.short_name or plan.department.name)
    return f"{index + 1}{name}"[:31]
