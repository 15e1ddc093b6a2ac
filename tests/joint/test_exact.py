"""The planner against the exact CP-SAT optimum (qijian/joint/exact.py) on small instances.

"Within 1 %" (issue 6): on instances of at most 60 tasks an optimum is 10–40 visits, where 1 % is
less than one visit, so per instance it would mean "always optimal" — stronger than the claim. The
test therefore aggregates: over every instance the solver proves OPTIMAL, the planner's visits add
up to at most 1.01 × the optima's sum, and no instance plans fewer tasks than the optimum. Instances
are what a county quarter looks like scaled down: working days, windows of a day to three weeks,
each department's teams about 1.1–1.3 × its average daily demand (capacity binds on busy days).

The tight family (``tight_instance``): one team a day for each of 4 departments, 40 tasks over 8
enterprises and 12 days, windows of 1–12 days — overloaded (a few tasks cannot be planned) and the
regime where the optimum moves several visits at once to pair up departments. The planner must be
within 1 % there too (planner_search: before it, +3.9 %).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable

from qijian.joint.exact import solve_exact
from qijian.joint.planner import Constraints, Task, plan_visits
from qijian.joint.planner_check import violations

WORK = 8.0  # CP-SAT deterministic time per instance: the same instances proved on any machine
DAYS = [d for d in (dt.date(2027, 4, 1) + dt.timedelta(n) for n in range(42)) if d.weekday() < 5]
TIGHT_DAY0 = dt.date(2027, 1, 1)


def instance(seed: int, size: int = 50) -> tuple[list[Task], Constraints]:
    rng = random.Random(seed)
    tasks = []
    for k in range(size):
        length = rng.choice([1, 1, 3, 5, 10, 15])
        start = rng.randrange(len(DAYS) - length + 1)
        dept = rng.choices(range(1, 5), weights=[4, 3, 2, 1])[0]
        tasks.append(Task(k, rng.randrange(size // 4), dept, rng.choice("ABCD"), DAYS[start], DAYS[start + length - 1]))
    demand = {d: sum(t.department == d for t in tasks) for d in range(1, 5)}
    ratio = rng.choice([1.1, 1.2, 1.3])
    teams = {d: max(1, math.ceil(n / len(DAYS) * ratio)) for d, n in demand.items()}
    return tasks, Constraints(default_capacity=teams, allowed_days=frozenset(DAYS))


def tight_instance(seed: int, size: int = 40, days: int = 12) -> tuple[list[Task], Constraints]:
    """One team a day per department (4 departments), 40 tasks over 8 enterprises and 12 days."""
    rng = random.Random(seed)
    tasks = []
    for k in range(size):
        start = rng.randrange(days)
        end = min(days - 1, start + rng.choice([0, 1, 3, 7, 11]))
        first, last = TIGHT_DAY0 + dt.timedelta(start), TIGHT_DAY0 + dt.timedelta(end)
        tasks.append(
            Task(
                k,
                rng.randrange(size // 5),
                rng.randrange(4),
                rng.choice("ABCDE"),
                first,
                last,
                rng.choice([1.0, 2.0, 3.0]),
            )
        )
    return tasks, Constraints(default_capacity=dict.fromkeys(range(4), 1))


def compare(family: Callable[[int], tuple[list[Task], Constraints]], seeds: range) -> tuple[int, int, int]:
    """(instances proved optimal, planner visits, optimum visits) over them; no instance plans fewer tasks."""
    planner_sum = optimum_sum = proved = 0
    for seed in seeds:
        tasks, constraints = family(seed)
        mine = plan_visits(tasks, constraints)
        assert violations(tasks, constraints, mine) == []
        exact = solve_exact(tasks, constraints, seconds=300, hint=mine, work=WORK)
        if not exact.optimal:
            continue
        proved += 1
        assert len(mine.unplannable) <= exact.unplanned, f"seed {seed}"
        planner_sum, optimum_sum = planner_sum + len(mine.visits), optimum_sum + exact.visits
    return proved, planner_sum, optimum_sum


def test_the_exact_model_meets_the_lower_bound_without_limits() -> None:
    tasks, _ = instance(1)
    exact = solve_exact(tasks, Constraints(allowed_days=frozenset(DAYS)), seconds=20)
    assert exact.optimal
    assert exact.visits == plan_visits(tasks, Constraints(allowed_days=frozenset(DAYS))).lower_bound


def test_the_exact_solution_keeps_every_limit() -> None:
    tasks, constraints = instance(2, size=30)
    limited = Constraints(
        default_capacity=constraints.default_capacity,
        max_departments=2,
        incompatible=frozenset({frozenset({"A", "B"})}),
        max_hours=4.0,
        allowed_days=constraints.allowed_days,
    )
    exact = solve_exact(tasks, limited, seconds=60, work=2.0)
    assert exact.plan is not None
    assert violations(tasks, limited, exact.plan) == []
    assert len(plan_visits(tasks, limited).visits) >= exact.visits or exact.unplanned > 0


def test_the_planner_is_within_one_percent_of_the_optimum_in_sum() -> None:
    proved, planner_sum, optimum_sum = compare(instance, range(20))
    assert proved >= 12
    assert planner_sum <= 1.01 * optimum_sum, (planner_sum, optimum_sum)


def test_the_planner_is_within_one_percent_of_the_optimum_when_teams_are_tight() -> None:
    proved, planner_sum, optimum_sum = compare(tight_instance, range(30))
    assert proved >= 25  # all 30 are proved within WORK today; skip only those it does not prove
    assert planner_sum <= 1.01 * optimum_sum, (planner_sum, optimum_sum)
