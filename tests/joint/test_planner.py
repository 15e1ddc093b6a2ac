"""Property and truth-table tests of the pure joint-visit planner (qijian/joint/planner.py)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from qijian.joint.planner import Constraints, Task, plan_visits, stabbing_days
from qijian.joint.planner_check import violations
from qijian.joint.planner_prep import (
    REASON_FULL,
    REASON_NO_DAY,
    REASON_NO_TEAM,
    REASON_TOO_LONG,
    REASON_WINDOW,
)

DAY0 = dt.date(2027, 4, 1)
ITEMS = "ABCDEF"


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def task(k: int, enterprise: int, dept: int, first: int, last: int, item: str = "A", hours: float = 2.0) -> Task:
    return Task(k, enterprise, dept, item, day(first), day(last), hours)


@st.composite
def task_lists(draw: st.DrawFn, max_size: int = 40) -> list[Task]:
    size = draw(st.integers(0, max_size))
    out = []
    for k in range(size):
        first = draw(st.integers(0, 20))
        last = first + draw(st.sampled_from([0, 0, 1, 2, 5, 10, 20]))
        out.append(
            Task(
                k,
                draw(st.integers(1, 6)),
                draw(st.integers(1, 5)),
                draw(st.sampled_from(ITEMS)),
                day(first),
                day(last),
                draw(st.sampled_from([1.0, 2.0, 3.0, 4.0])),
            )
        )
    return out


@st.composite
def allowed_days(draw: st.DrawFn) -> frozenset[dt.date] | None:
    if draw(st.booleans()):
        return None
    return frozenset(day(n) for n in draw(st.sets(st.integers(0, 45), max_size=40)))


@st.composite
def limits(draw: st.DrawFn) -> Constraints:
    depts = range(1, 6)
    default = {d: draw(st.integers(0, 3)) for d in depts if draw(st.booleans())}
    overrides = draw(st.dictionaries(st.tuples(st.sampled_from(depts), st.integers(0, 45).map(day)), st.integers(0, 2)))
    pairs = draw(st.sets(st.frozensets(st.sampled_from(ITEMS), min_size=1, max_size=2), max_size=3))
    return Constraints(
        capacity=overrides,
        default_capacity=default,
        max_departments=draw(st.none() | st.integers(1, 4)),
        incompatible=frozenset(pairs),
        max_hours=draw(st.none() | st.sampled_from([3.0, 4.0, 8.0])),
        allowed_days=draw(allowed_days()),
    )


@settings(max_examples=200, deadline=None)
@given(task_lists(), allowed_days())
def test_without_limits_the_count_equals_the_lower_bound(tasks: list[Task], allowed: frozenset[dt.date] | None) -> None:
    constraints = Constraints(allowed_days=allowed)
    result = plan_visits(tasks, constraints)
    assert len(result.visits) == result.lower_bound
    assert violations(tasks, constraints, result) == []


@settings(max_examples=100, deadline=None)
@given(task_lists())
def test_without_limits_every_task_is_planned(tasks: list[Task]) -> None:
    result = plan_visits(tasks)
    assert result.unplannable == ()
    assert result.saved == len(tasks) - result.lower_bound


@settings(max_examples=300, deadline=None)
@given(task_lists(), limits())
def test_with_limits_every_task_is_planned_once_in_its_window_and_no_constraint_breaks(
    tasks: list[Task], constraints: Constraints
) -> None:
    result = plan_visits(tasks, constraints)
    assert violations(tasks, constraints, result) == []
    assert all(u.reason for u in result.unplannable)


@settings(max_examples=100, deadline=None)
@given(task_lists(), limits())
def test_the_same_input_gives_the_same_plan(tasks: list[Task], constraints: Constraints) -> None:
    assert plan_visits(tasks, constraints) == plan_visits(list(tasks), constraints)


@settings(max_examples=100, deadline=None)
@given(task_lists(), limits())
def test_limits_never_plan_fewer_visits_than_the_lower_bound_of_the_planned_tasks(
    tasks: list[Task], constraints: Constraints
) -> None:
    result = plan_visits(tasks, constraints)
    planned = {k for v in result.visits for k in v.tasks}
    alone = plan_visits([t for t in tasks if t.id in planned], Constraints(allowed_days=constraints.allowed_days))
    assert len(result.visits) >= alone.lower_bound


def test_overlapping_windows_share_one_joint_visit() -> None:
    tasks = [task(1, 7, 1, 0, 10), task(2, 7, 2, 5, 20), task(3, 7, 3, 8, 9)]
    result = plan_visits(tasks)
    assert [(v.day, v.tasks, v.departments) for v in result.visits] == [(day(9), (1, 2, 3), (1, 2, 3))]
    assert (result.lower_bound, result.saved) == (1, 2)


def test_disjoint_windows_need_two_visits() -> None:
    result = plan_visits([task(1, 7, 1, 0, 2), task(2, 7, 2, 5, 6)])
    assert len(result.visits) == 2 == result.lower_bound


def test_stabbing_days_are_the_fewest_days_meeting_every_window() -> None:
    tasks = [task(1, 1, 1, 0, 3), task(2, 1, 1, 2, 5), task(3, 1, 1, 4, 9), task(4, 1, 1, 9, 9)]
    assert stabbing_days(tasks) == [day(3), day(9)]


def test_only_allowed_days_are_used() -> None:
    allowed = frozenset({day(2), day(4)})
    result = plan_visits([task(1, 1, 1, 0, 3), task(2, 1, 2, 3, 6)], Constraints(allowed_days=allowed))
    assert sorted(v.day for v in result.visits) == [day(2), day(4)]


def test_a_reversed_window_is_unplannable_with_its_reason() -> None:
    result = plan_visits([task(1, 1, 1, 5, 2), task(2, 1, 1, 0, 1)])
    assert [(u.task, u.reason) for u in result.unplannable] == [(1, REASON_WINDOW)]
    assert result.tasks_planned == 1


def test_a_window_without_an_allowed_day_is_unplannable() -> None:
    result = plan_visits([task(1, 1, 1, 0, 1)], Constraints(allowed_days=frozenset({day(5)})))
    assert [(u.task, u.reason) for u in result.unplannable] == [(1, REASON_NO_DAY)]


def test_a_department_without_teams_in_the_window_is_unplannable() -> None:
    constraints = Constraints(default_capacity={1: 0}, capacity={(1, day(9)): 1})
    result = plan_visits([task(1, 1, 1, 0, 3), task(2, 1, 1, 8, 9)], constraints)
    assert [(u.task, u.reason) for u in result.unplannable] == [(1, REASON_NO_TEAM)]
    assert [v.day for v in result.visits] == [day(9)]


def test_a_task_longer_than_a_visit_day_is_unplannable() -> None:
    result = plan_visits([task(1, 1, 1, 0, 3, hours=9.0)], Constraints(max_hours=8.0))
    assert [u.reason for u in result.unplannable] == [REASON_TOO_LONG]


def test_exhausted_teams_leave_the_excess_unplanned_never_dropped() -> None:
    tasks = [task(k, k, 1, 0, 1) for k in range(1, 4)]
    result = plan_visits(tasks, Constraints(default_capacity={1: 1}))
    assert len(result.visits) == 2
    assert [u.reason for u in result.unplannable] == [REASON_FULL]


def test_a_capacity_override_beats_the_default() -> None:
    tasks = [task(k, k, 1, 3, 3) for k in range(1, 4)]
    result = plan_visits(tasks, Constraints(default_capacity={1: 1}, capacity={(1, day(3)): 3}))
    assert len(result.visits) == 3 and not result.unplannable


def test_capacity_moves_a_visit_to_another_day_of_its_window() -> None:
    tasks = [task(1, 1, 1, 0, 0), task(2, 2, 1, 0, 1)]
    result = plan_visits(tasks, Constraints(default_capacity={1: 1}))
    assert sorted((v.enterprise, v.day) for v in result.visits) == [(1, day(0)), (2, day(1))]


def test_a_department_limit_splits_a_visit() -> None:
    tasks = [task(k, 1, k, 0, 0) for k in range(1, 6)]
    result = plan_visits(tasks, Constraints(max_departments=2))
    assert len(result.visits) == 3
    assert all(len(v.departments) <= 2 for v in result.visits)


def test_incompatible_items_go_to_separate_visits() -> None:
    tasks = [task(1, 1, 1, 0, 5, item="X"), task(2, 1, 2, 0, 5, item="Y"), task(3, 1, 3, 0, 5, item="Z")]
    result = plan_visits(tasks, Constraints(incompatible=frozenset({frozenset({"X", "Y"})})))
    assert len(result.visits) == 2
    assert not any({1, 2} <= set(v.tasks) for v in result.visits)


def test_one_team_does_its_departments_tasks_within_the_visit_day() -> None:
    tasks = [task(k, 1, 1, 0, 5, hours=3.0) for k in range(1, 4)] + [task(4, 1, 2, 0, 5, hours=8.0)]
    result = plan_visits(tasks, Constraints(max_hours=8.0))
    assert len(result.visits) == 2
    assert violations(tasks, Constraints(max_hours=8.0), result) == []


def test_tasks_of_one_department_share_a_team_when_teams_are_short() -> None:
    tasks = [task(1, 1, 1, 0, 4), task(2, 1, 1, 3, 8), task(3, 2, 1, 4, 4)]
    result = plan_visits(tasks, Constraints(default_capacity={1: 1}))
    assert not result.unplannable
    assert violations(tasks, Constraints(default_capacity={1: 1}), result) == []
