"""Benchmark of the joint-visit planner (qijian/joint/planner.py): speed at county scale, quality against CP-SAT.

    uv run python bench/bench_joint.py                  # 100,000 tasks, 20,000 enterprises, 30 departments
    uv run python bench/bench_joint.py --medium 8 --seconds 30
    uv run python bench/bench_joint.py --tasks 0 --medium 0          # the two test families only

Speed: a synthetic quarter (2027 Q1, Monday–Friday) of ``--tasks`` tasks over ``--enterprises``
enterprises and ``--departments`` departments (department sizes skewed, a few large ones), windows
of the kinds the workflow produces — whole quarter (targeted plan entries), a month, two weeks, one
fixed day (draw results, superior inspections) — with each department's daily teams set to about
1.3 × its average daily demand, at most 5 departments a visit, a few incompatible item pairs and an
8-hour visit day. Times ``plan_visits`` ``--repeat`` times (pure Python, one core: wall and CPU
seconds, since the machine may be shared) and checks the plan.

Quality: ``--medium`` smaller instances with tight capacities (teams ≈ 1.1 × demand, windows of at
most three weeks, capacity and working days only: the department limit, incompatible items and the
day length multiply the model's slots beyond what CP-SAT proves at this size), each solved by the
planner and by the CP-SAT model (qijian/joint/exact.py, ``--seconds`` per instance); the two counts side by side for
the instances the solver proves optimal. Prints the load average (the machine is shared).

Families: the two families of tests/joint/test_exact.py side by side, seed by seed — the test
family (50 tasks, working days, teams 1.1–1.3 × demand) and the tight family (one team a day for each
of 4 departments, 40 tasks, 12 days) — with CP-SAT under the tests' deterministic limit, the sums over
the instances it proves optimal and the planner's CPU time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qijian.joint.planner import Constraints, PlanResult, Task, plan_visits
from qijian.joint.planner_check import violations

QUARTER = (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
ITEMS = [f"I{n:03d}" for n in range(60)]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--departments", type=int, default=30)
    parser.add_argument("--load", type=float, default=1 / 1.3, help="demand / teams, per department")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--medium", type=int, default=8, help="instances compared with CP-SAT (0: none)")
    parser.add_argument("--medium-tasks", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=20.0, help="CP-SAT time limit per instance")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--families", type=int, default=30, help="seeds of the two test families (0: none)")
    return parser.parse_args()


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days = (start + dt.timedelta(n) for n in range((end - start).days + 1))
    return [d for d in days if d.weekday() < 5]


def window(rng: random.Random, days: list[dt.date]) -> tuple[dt.date, dt.date]:
    kind = rng.random()
    if kind < 0.5:
        return days[0], days[-1]
    length = 22 if kind < 0.8 else (10 if kind < 0.95 else 1)
    start = rng.randrange(len(days) - length + 1)
    return days[start], days[start + length - 1]


def instance(
    rng: random.Random, tasks: int, enterprises: int, departments: int, load: float
) -> tuple[list[Task], Constraints]:
    days = working_days(*QUARTER)
    weights = [1 / (d + 1) ** 0.7 for d in range(departments)]
    depts = rng.choices(range(1, departments + 1), weights=weights, k=tasks)
    out = []
    for n, dept in enumerate(depts):
        earliest, latest = window(rng, days)
        out.append(Task(n, rng.randrange(1, enterprises + 1), dept, rng.choice(ITEMS), earliest, latest))
    demand = {d: depts.count(d) for d in set(depts)}
    teams = {d: max(1, math.ceil(n / len(days) / load)) for d, n in demand.items()}
    pairs = frozenset(frozenset(rng.sample(ITEMS, 2)) for _ in range(5))
    return out, Constraints(
        default_capacity=teams, max_departments=5, incompatible=pairs, max_hours=8.0, allowed_days=frozenset(days)
    )


def speed(args: argparse.Namespace) -> None:
    if not args.tasks:
        return
    tasks, constraints = instance(random.Random(args.seed), args.tasks, args.enterprises, args.departments, args.load)
    print(f"{args.tasks} tasks, {args.enterprises} enterprises, {args.departments} departments; CPU {os.cpu_count()}")
    print(f"{'run':>4}{'load':>7}{'seconds':>9}{'cpu s':>8}{'visits':>9}{'bound':>9}{'saved':>9}{'unplanned':>11}")
    result: PlanResult | None = None
    for n in range(1, args.repeat + 1):
        load = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        result = plan_visits(tasks, constraints)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"{n:>4}{load:>7.2f}{took:>9.3f}{cpu:>8.3f}{len(result.visits):>9}{result.lower_bound:>9}{result.saved:>9}"
            f"{len(result.unplannable):>11}"
        )
    assert result is not None
    faults = violations(tasks, constraints, result)
    print("plan checked:", "sound" if not faults else f"{len(faults)} faults, e.g. {faults[:3]}")


def quality(args: argparse.Namespace) -> None:
    from qijian.joint.exact import solve_exact

    print(f"\nplanner vs CP-SAT ({args.medium} instances of {args.medium_tasks} tasks, limit {args.seconds:.0f} s)")
    print(f"{'seed':>5}{'load':>7}{'planner':>9}{'optimum':>9}{'unpl p/o':>10}{'status':>10}{'cp-sat s':>10}")
    sums = [0, 0]
    for seed in range(args.medium):
        rng = random.Random(seed)
        tasks, constraints = instance(rng, args.medium_tasks, args.medium_tasks // 5, 6, 0.9)
        tasks = [_narrow(rng, t) for t in tasks]
        constraints = Constraints(default_capacity=constraints.default_capacity, allowed_days=constraints.allowed_days)
        mine = plan_visits(tasks, constraints)
        exact = solve_exact(tasks, constraints, seconds=args.seconds, hint=mine)
        unpl = f"{len(mine.unplannable)}/{exact.unplanned}"
        print(
            f"{seed:>5}{os.getloadavg()[0]:>7.2f}{len(mine.visits):>9}{exact.visits:>9}{unpl:>10}"
            f"{exact.status:>10}{exact.seconds:>10.1f}"
        )
        if exact.optimal:
            sums[0], sums[1] = sums[0] + len(mine.visits), sums[1] + exact.visits
    if sums[1]:
        print(f"proved optimal: planner {sums[0]} visits, optimum {sums[1]} (+{100 * (sums[0] / sums[1] - 1):.2f} %)")


def _narrow(rng: random.Random, task: Task) -> Task:
    """Medium instances: windows of at most three weeks, so that capacity binds and CP-SAT can prove."""
    if (task.latest - task.earliest).days <= 21:
        return task
    start = task.earliest + dt.timedelta(rng.randrange(0, (task.latest - task.earliest).days - 20))
    return Task(task.id, task.enterprise, task.department, task.item, start, start + dt.timedelta(20))


def families(seeds: int) -> None:
    from tests.joint.test_exact import WORK, instance, tight_instance

    print(f"\nthe test families against CP-SAT (deterministic limit {WORK}; seeds 0..{seeds - 1}; test family: 0..19)")
    head = f"{'planner':>14}{'optimum':>9}{'unpl':>6}"
    print(f"{'':>8}{'test family':>29}{'':>4}{'tight family':>30}")
    print(f"{'seed':>5}{'':>3}{head:>29}{'':>4}{head:>30}")
    sums: dict[str, list[float]] = {"test": [0, 0, 0, 0.0], "tight": [0, 0, 0, 0.0]}  # proved, planner, optimum, CPU s
    for seed in range(seeds):
        cells = [
            _family_cell(sums["test"], *instance(seed), WORK) if seed < 20 else "",
            _family_cell(sums["tight"], *tight_instance(seed), WORK),
        ]
        print(f"{seed:>5}{'':>3}{cells[0]:>29}{'':>4}{cells[1]:>30}")
    for name, (proved, mine, best, cpu) in sums.items():
        if best:
            proved, mine, best = int(proved), int(mine), int(best)
            gap = 100 * (mine / best - 1)
            print(
                f"{name} family: {proved} proved optimal, planner {mine} visits, optimum {best} ({gap:+.2f} %),", end=""
            )
            print(f" planner CPU {cpu:.2f} s")


def _family_cell(sums: list[float], tasks: list[Task], constraints: Constraints, work: float) -> str:
    from qijian.joint.exact import solve_exact

    cpu = time.process_time()
    mine = plan_visits(tasks, constraints)
    sums[3] += time.process_time() - cpu
    exact = solve_exact(tasks, constraints, seconds=300, hint=mine, work=work)
    if not exact.optimal:
        return f"{len(mine.visits):>14}{'(' + exact.status.lower() + ')':>15}"
    sums[0], sums[1], sums[2] = sums[0] + 1, sums[1] + len(mine.visits), sums[2] + exact.visits
    return f"{len(mine.visits):>14}{exact.visits:>9}{f'{len(mine.unplannable)}/{exact.unplanned}':>6}"


def main() -> None:
    args = parse_args()
    speed(args)
    if args.medium:
        quality(args)
    if args.families:
        families(args.families)


if __name__ == "__main__":
    main()
