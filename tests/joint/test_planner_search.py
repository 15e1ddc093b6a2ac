"""Properties of the neighbourhood search after the repair (qijian/joint/planner_search.py)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from qijian.joint.planner import Constraints, PlanResult, Task, plan_visits
from qijian.joint.planner_check import violations
from qijian.joint.planner_search import weights
from tests.joint.test_exact import tight_instance

DAY0 = dt.date(2027, 4, 1)


@st.composite
def tight_inputs(draw: st.DrawFn) -> tuple[list[Task], Constraints]:
    """Few enterprises, few days, one or two teams a day: where the search has work to do."""
    size, days = draw(st.integers(1, 36)), draw(st.integers(1, 10))
    tasks = []
    for k in range(size):
        first = draw(st.integers(0, days - 1))
        last = min(days - 1, first + draw(st.sampled_from([0, 1, 3, 9])))
        enterprise, dept = draw(st.integers(1, 6)), draw(st.integers(1, 4))
        item, hours = draw(st.sampled_from("ABCD")), draw(st.sampled_from([1.0, 2.0, 3.0]))
        tasks.append(Task(k, enterprise, dept, item, DAY0 + dt.timedelta(first), DAY0 + dt.timedelta(last), hours))
    teams = {d: draw(st.integers(0, 2)) for d in range(1, 5)}
    return tasks, Constraints(
        default_capacity=teams,
        max_departments=draw(st.none() | st.integers(1, 3)),
        incompatible=frozenset({frozenset({"A", "B"})}) if draw(st.booleans()) else frozenset(),
        max_hours=draw(st.none() | st.sampled_from([3.0, 8.0])),
    )


def cost(result: PlanResult) -> tuple[int, int]:
    return len(result.unplannable), len(result.visits)


def without_search(tasks: list[Task], constraints: Constraints) -> PlanResult:
    with mock.patch("qijian.joint.planner.improve", lambda board, bounds: None):
        return plan_visits(tasks, constraints)


@settings(max_examples=40, deadline=None)
@given(tight_inputs())
def test_the_search_keeps_every_limit_and_never_makes_the_plan_worse(case: tuple[list[Task], Constraints]) -> None:
    tasks, constraints = case
    result = plan_visits(tasks, constraints)
    assert violations(tasks, constraints, result) == []
    assert cost(result) <= cost(without_search(tasks, constraints))


@settings(max_examples=20, deadline=None)
@given(tight_inputs())
def test_the_search_is_deterministic(case: tuple[list[Task], Constraints]) -> None:
    tasks, constraints = case
    assert plan_visits(tasks, constraints) == plan_visits(list(tasks), constraints)


def test_the_search_pairs_up_departments_where_single_moves_cannot() -> None:
    tasks, constraints = tight_instance(2)
    before, after = without_search(tasks, constraints), plan_visits(tasks, constraints)
    assert len(after.unplannable) <= len(before.unplannable)
    assert len(after.visits) < len(before.visits)
    assert violations(tasks, constraints, after) == []


def test_a_task_left_out_outweighs_any_number_of_visits_and_teams() -> None:
    visit, skip = weights(40)
    assert visit > 40  # a visit outweighs every team of the plan (at most one per task)
    assert skip > 40 * visit + 40
