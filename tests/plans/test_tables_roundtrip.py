"""附件2-1 / 2-2 / 附件5: export → fill in with openpyxl → import gives back exactly what the file says."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.core import calendar
from qijian.core.testing import County
from qijian.plans.models import PlanEntry
from qijian.plans.tables.importer import (
    TableImportError,
    import_completion_table,
    import_multi_level_table,
    import_plan_table,
)
from qijian.plans.tables.layouts import COMPLETION, MULTI_LEVEL, PLAN
from qijian.plans.tables.xlsx import FIRST_DATA_ROW
from tests.plans.tables_fixtures import PAST, build, data_rows, ent, exported, save, table_rows, unify

pytestmark = pytest.mark.django_db


def _admin(county: County) -> Any:
    return county.user("dept_admin")


def test_plan_table_round_trip_with_a_changed_count_an_added_row_and_a_deleted_row(county: County) -> None:
    setup = build(county)
    wb = exported(setup.plan, "2-1")
    ws = wb.active
    ws.cell(row=FIRST_DATA_ROW, column=PLAN.column("预计检查户次"), value=9)
    ws.delete_rows(FIRST_DATA_ROW + 1)  # the joint targeted entry
    new = ["", "重大隐患专项检查", "", "非双随机", ent(county.other_enterprise), "否", "", "2026-11-01至2026-11-30"]
    ws.insert_rows(FIRST_DATA_ROW + 2)
    for column, value in enumerate([*new, "现场", 1, "新增"], start=1):
        ws.cell(row=FIRST_DATA_ROW + 2, column=column, value=value)
    wanted = unify(data_rows(wb))
    wanted[2][2] = setup.items["targeted"].basis  # a blank 检查依据 takes the item's basis

    outcome = import_plan_table(actor=_admin(county), plan=setup.plan, data=save(wb), filename="2-1.xlsx")

    assert (outcome.rows, outcome.removed) == (3, 3)
    assert table_rows(setup.plan, "2-1") == wanted
    assert len(wanted) == 3 and wanted[0][PLAN.column("预计检查户次") - 1] == "9"


def test_plan_table_import_keeps_the_multi_level_fields_of_a_matched_row(county: County) -> None:
    setup = build(county)
    before = table_rows(setup.plan, "5")
    wb = exported(setup.plan, "2-1")

    import_plan_table(actor=_admin(county), plan=setup.plan, data=save(wb), filename="2-1.xlsx")

    assert table_rows(setup.plan, "5") == before
    assert table_rows(setup.plan, "2-1") == unify(data_rows(wb))


def test_multi_level_table_round_trip_replaces_only_multi_level_entries(county: County) -> None:
    setup = build(county)
    county_rows = table_rows(setup.plan, "2-1")[:2]
    wb = exported(setup.plan, "5")
    ws = wb.active
    ws.cell(row=FIRST_DATA_ROW, column=MULTI_LEVEL.column("验收勘察安排"), value="不安排验收")
    added = ["", "市", setup.city_dept.name, county.dept.name, "安全生产双随机抽查", "依法检查", ent(county.enterprise)]
    added += ["2026-10-10至2026-10-20", "是", "旧州镇、县应急管理局", "已通知", "无", ""]
    for column, value in enumerate(added, start=1):
        ws.cell(row=FIRST_DATA_ROW + 1, column=column, value=value)
    wanted = unify(data_rows(wb))

    import_multi_level_table(actor=_admin(county), plan=setup.plan, data=save(wb), filename="5.xlsx")

    assert table_rows(setup.plan, "5") == wanted
    assert table_rows(setup.plan, "2-1")[:2] == county_rows  # county entries untouched
    kept = PlanEntry.objects.get(plan=setup.plan, item=setup.items["chem"])
    assert (kept.expected_count, kept.method) == (2, "remote")  # 2-1 fields the table does not show


def test_completion_table_round_trip_reports_each_filled_row(county: County, monkeypatch: Any) -> None:
    monkeypatch.setattr(calendar, "local_today", lambda: dt.date(2025, 12, 1))
    setup = build(county, status="approved", quarter=PAST)
    wb = exported(setup.plan, "2-2")
    ws = wb.active
    fills = {
        FIRST_DATA_ROW: [3, 0, 1, 1, "免罚1/减轻处罚0/不予强制0", "部分完成", "企业停产", "另行安排"],
        FIRST_DATA_ROW + 1: [2, 2, 0, 0, "免罚0/减轻处罚1/不予强制2", "已完成", "", ""],
    }
    for row, values in fills.items():
        for column, value in enumerate(values, start=COMPLETION.column("实际户次")):
            ws.cell(row=row, column=column, value=value)
    wanted = unify(data_rows(wb))

    outcome = import_completion_table(actor=_admin(county), plan=setup.plan, data=save(wb), filename="2-2.xlsx")

    assert outcome.rows == 2  # the third row was left blank: not reported
    assert table_rows(setup.plan, "2-2") == wanted
    first = PlanEntry.objects.filter(plan=setup.plan).order_by("id").first()
    assert first is not None and (first.completion, first.no_penalty_count) == ("partly", 1)


def test_completion_table_refuses_a_changed_planned_count(county: County, monkeypatch: Any) -> None:
    monkeypatch.setattr(calendar, "local_today", lambda: dt.date(2025, 12, 1))
    setup = build(county, status="approved", quarter=PAST)
    wb = exported(setup.plan, "2-2")
    ws = wb.active
    for column, value in enumerate([7, 3, 2, 0, 0, "", "已完成"], start=COMPLETION.column("计划户次")):
        ws.cell(row=FIRST_DATA_ROW, column=column, value=value)

    with pytest.raises(TableImportError) as caught:
        import_completion_table(actor=_admin(county), plan=setup.plan, data=save(wb), filename="2-2.xlsx")

    assert caught.value.problems[0].describe().startswith(f"第{FIRST_DATA_ROW}行 第4列(计划户次):")
    assert not PlanEntry.objects.filter(plan=setup.plan).exclude(completion="").exists()


def test_a_csv_in_gbk_is_imported_like_the_workbook(county: County) -> None:
    import csv
    import io

    setup = build(county)
    wb = exported(setup.plan, "2-1")
    text = io.StringIO()
    writer = csv.writer(text)
    for values in wb.active.iter_rows(values_only=True):
        writer.writerow(["" if v is None else v for v in values])
    before = table_rows(setup.plan, "2-1")

    import_plan_table(actor=_admin(county), plan=setup.plan, data=text.getvalue().encode("gbk"), filename="表.csv")

    assert table_rows(setup.plan, "2-1") == before
