"""The planner against the exact CP-SAT optimum (qijian/joint/exact.py) on small instances.

"Within 1 %" (issue 6): on instances of at most 60 tasks an optimum is 10–40 visits, where 1 % is
less than one visit, so per instance it would mean "always optimal" — stronger than the claim. The
test therefore aggregates: over every instance the solver proves OPTIMAL, the planner's visits add
up to at most 1.01 × the optima's sum, and no instance plans fewer tasks than the optimum. Instances
are what a county quarter looks like scaled down: working days, windows of a day to three weeks,
each department's teams about 1.1–1.3 × its average daily demand (capacity binds on busy days).
"""

from __future__ import annotations

import datetime as dt
import math
import random

from qijian.joint.exact import solve_exact
from qijian.joint.planner import Constraints, Task, plan_visits
from qijian.joint.planner_check import violations

WORK = 8.0  # CP-SAT deterministic time per instance: the same instances proved on any machine
DAYS = [d for d in (dt.date(2027, 4, 1) + dt.timedelta(n) for n in range(42)) if d.weekday() < 5]


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
    planner_sum = optimum_sum = proved = 0
    for seed in range(20):
        tasks, constraints = instance(seed)
        mine = plan_visits(tasks, constraints)
        exact = solve_exact(tasks, constraints, seconds=300, hint=mine, work=WORK)
        if not exact.optimal:
            continue
        proved += 1
        assert len(mine.unplannable) <= exact.unplanned, f"seed {seed}"
        planner_sum, optimum_sum = planner_sum + len(mine.visits), optimum_sum + exact.visits
    assert proved >= 12
    assert planner_sum <= 1.01 * optimum_sum, (planner_sum, optimum_sum)
