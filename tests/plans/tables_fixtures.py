"""Plans with entries for the 附件2/附件5 table tests, written directly with the ORM."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook

from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.calendar import Quarter
from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.org.models import Department
from qijian.plans.models import Plan, PlanEntry
from qijian.plans.tables.layouts import build_sheet
from qijian.plans.tables.xlsx import FIRST_DATA_ROW, HEADER_ROW

QUARTER = Quarter(2026, 4)
PAST = Quarter(2025, 3)  # completion of a past quarter may be reported on any later day


@dataclass
class Setup:
    county: County
    items: dict[str, CatalogItem]
    city_dept: Department
    plan: Plan


def catalog(department: Department) -> dict[str, CatalogItem]:
    version = CatalogVersion.objects.create(
        department=department, number=1, status="approved", effective_from=dt.date(2025, 1, 1)
    )
    common = {"version": version, "law": "《中华人民共和国安全生产法》", "article": "第六十五条"}
    return {
        "random": CatalogItem.objects.create(code="YJ-001", name="安全生产双随机抽查", mode="random", **common),
        "targeted": CatalogItem.objects.create(code="YJ-002", name="重大隐患专项检查", mode="targeted", **common),
        "chem": CatalogItem.objects.create(
            code="YJ-003", name="危险化学品经营许可检查", mode="targeted", method="remote", **common
        ),
    }


def city_department(county: County) -> Department:
    city = county.county.parent
    assert city is not None
    return Department.objects.create(name="沧州市应急管理局", code="CZ-YJ", region=city, level="city")


def entry(plan: Plan, item: CatalogItem, quarter: Quarter, **extra: Any) -> PlanEntry:
    targets = extra.pop("targets", [])
    partners = extra.pop("partners", [])
    fields = {
        "basis": item.basis,
        "mode": item.mode,
        "method": item.method,
        "window_start": quarter.start + dt.timedelta(days=7),
        "window_end": quarter.end - dt.timedelta(days=11),
        "expected_count": 2,
    }
    made = PlanEntry.objects.create(plan=plan, item=item, **(fields | extra))
    made.targets.set(targets)
    made.partners.set(partners)
    return made


def build(county: County, *, status: str = "draft", quarter: Quarter = QUARTER) -> Setup:
    items = catalog(county.dept)
    city = city_department(county)
    plan = Plan.objects.create(department=county.dept, year=quarter.year, quarter=quarter.number, status=status)
    entry(plan, items["random"], quarter, target_rule="旧州镇食品加工企业,抽查比例5%", expected_count=4)
    entry(
        plan,
        items["targeted"],
        quarter,
        targets=[county.enterprise, county.other_enterprise],
        joint=True,
        partners=[county.other_dept],
        note="=联合检查",
    )
    entry(
        plan,
        items["chem"],
        quarter,
        targets=[county.enterprise],
        level="city",
        implementing_department=city,
        multi_level_joint=True,
        participants="市应急管理局、县应急管理局",
        township_notice="已通知旧州镇人民政府",
        acceptance_plan="检查后由县局验收一次",
    )
    return Setup(county, items, city, plan)


def exported(plan: Plan, table: str) -> Any:
    from qijian.plans.tables.xlsx import render_xlsx

    return load_workbook(io.BytesIO(render_xlsx(build_sheet(plan, table))))


def save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def data_rows(workbook: Workbook) -> list[list[Any]]:
    """The data rows of a table workbook (values as written), up to the blank row before the signature."""
    ws = workbook.active
    assert ws is not None
    width = len([c for c in ws[HEADER_ROW] if c.value])
    rows = []
    for values in ws.iter_rows(min_row=FIRST_DATA_ROW, max_col=width, values_only=True):
        if not any(v not in (None, "") for v in values) or str(values[0]).startswith("单位负责人"):
            break
        rows.append(["" if v is None else v for v in values])
    return rows


def unify(rows: list[list[Any]]) -> list[list[str]]:
    """Rows renumbered 1..n and compared as text (the exporter's formula guard dropped)."""
    out = []
    for number, row in enumerate(rows, start=1):
        cells = [str(v).removeprefix("'") if isinstance(v, str) else str(v) for v in row]
        out.append([str(number), *cells[1:]])
    return out


def table_rows(plan: Plan, table: str) -> list[list[str]]:
    return unify(build_sheet(plan, table).rows)


def ent(enterprise: Enterprise) -> str:
    return f"{enterprise.name}({enterprise.uscc})"
