"""Input gathering: plan entries, draw results and superior filings become planner tasks."""

from __future__ import annotations

import datetime as dt

import pytest

from qijian.core.calendar import local_zone
from qijian.inspections.models import Filing
from qijian.joint import queries
from qijian.joint.models import DepartmentCapacity
from qijian.joint.services.inputs import allowed_days, capacities, gather
from qijian.plans.models import Plan
from tests.joint.factories import QUARTER, TODAY, JointSetup, approved_entry

pytestmark = pytest.mark.django_db


def test_each_target_of_an_approved_entry_is_one_task_with_the_entry_window(js: JointSetup) -> None:
    inputs = gather(QUARTER, today=TODAY)
    assert sorted(t.key for t in inputs.tasks) == sorted(
        f"entry:{e.pk}:{js.county.enterprise.pk}" for e in js.entries.values()
    )
    task = inputs.tasks[0].task
    assert (task.earliest, task.latest) == (QUARTER.start, QUARTER.start + dt.timedelta(days=30))


def test_entries_of_a_plan_not_yet_approved_are_not_tasks(js: JointSetup) -> None:
    Plan.objects.filter(department=js.county.other_dept).update(status="submitted")
    assert len(gather(QUARTER, today=TODAY).tasks) == 1


def test_an_entry_window_partly_past_is_clipped_to_tomorrow(js: JointSetup) -> None:
    today = QUARTER.start + dt.timedelta(days=9)
    task = gather(QUARTER, today=today).tasks[0]
    assert task.window_start == today + dt.timedelta(days=1)


def test_an_entry_window_wholly_past_is_unplannable_with_the_reason(js: JointSetup) -> None:
    inputs = gather(QUARTER, today=QUARTER.start + dt.timedelta(days=40))
    assert not inputs.tasks and all("已过" in reason for _info, reason in inputs.unplannable)


def test_an_entry_already_filed_for_the_enterprise_is_not_planned_again(js: JointSetup) -> None:
    from qijian.inspections.services.checks import Facts
    from qijian.inspections.services.writing import _create

    entry = js.entries[js.county.dept.pk]
    start = dt.datetime.combine(QUARTER.start + dt.timedelta(days=3), dt.time(9), tzinfo=local_zone())
    facts = Facts(
        js.county.dept,
        "planned",
        entry.item,
        [js.county.enterprise],
        [js.county.inspector],
        start,
        start + dt.timedelta(hours=2),
        plan_entry=entry,
    )
    _create(js.admin(js.county.dept), facts, action="inspections.file_planned")
    assert [t.department for t in gather(QUARTER, today=TODAY).tasks] == [js.county.other_dept]


def test_a_superior_inspection_is_a_task_of_the_county_counterpart_fixed_to_its_day(js: JointSetup) -> None:
    from qijian.inspections.services.checks import Facts
    from qijian.inspections.services.writing import _create
    from qijian.org.models import Department, Region

    province = Department.objects.create(
        name="河北省生态环境厅", code="130000-HB", level="province", region=Region.objects.get(code="130000")
    )
    day = QUARTER.start + dt.timedelta(days=5)
    start = dt.datetime.combine(day, dt.time(9), tzinfo=local_zone())
    facts = Facts(
        js.county.other_dept,
        "planned",
        js.items[js.county.other_dept.pk],
        [js.county.other_enterprise],
        [js.county.other_inspector],
        start,
        start + dt.timedelta(hours=3),
        superior_department=province,
    )
    filing = _create(js.admin(js.county.other_dept), facts, action="inspections.file_superior")
    task = next(t for t in gather(QUARTER, today=TODAY).tasks if t.superior_filing is not None)
    assert task.superior_filing == filing and task.department == js.county.other_dept
    assert (task.window_start, task.window_end) == (day, day)
    assert isinstance(filing, Filing)


def test_a_drawn_visit_is_a_task_fixed_to_its_drawn_day(county, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.joint.factories import freeze
    from tests.sampling.factories import drawn, setup_draws

    setup = setup_draws(county, monkeypatch, enterprises=6, inspectors=4)
    draw = drawn(setup, count=3)
    freeze(monkeypatch, draw.window_start - dt.timedelta(days=1))
    quarter = QUARTER.of(draw.window_start)
    tasks = [t for t in gather(quarter).tasks if t.draw_result is not None]
    assert len(tasks) == 3
    assert all(t.window_start == t.window_end == t.draw_result.visit_on for t in tasks)  # type: ignore[union-attr]


def test_capacity_defaults_to_the_policy_figure_until_the_department_sets_one(js: JointSetup) -> None:
    DepartmentCapacity.objects.create(department=js.county.dept, teams_per_day=7, updated_by=js.office)
    assert capacities([js.county.dept.pk, js.county.other_dept.pk]) == {
        js.county.dept.pk: 7,
        js.county.other_dept.pk: 3,
    }


def test_allowed_days_are_the_quarters_working_days(js: JointSetup) -> None:
    days = allowed_days(QUARTER, [])
    assert dt.date(2027, 1, 2) not in days and dt.date(2027, 1, 4) in days  # a Saturday, a Monday


def test_a_second_entry_of_another_window_at_the_same_enterprise_can_need_a_second_visit(js: JointSetup) -> None:
    approved_entry(js.county.dept, js.items[js.county.dept.pk], [js.county.enterprise], start=60, days=5)
    assert len(gather(QUARTER, today=TODAY).tasks) == 3


def test_target_share_follows_the_policy_path() -> None:
    assert [queries.target_share(y) for y in (2024, 2025, 2026, 2027, 2030)] == [0.0, 0.2, 0.4, 0.5, 0.5]
