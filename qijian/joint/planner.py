"""The joint-visit planner (综合查一次, mechanisms 2, 8 and 9): a pure module, no ORM.

Input: every task of a quarter — (enterprise, department, item, window of days, duration, inspectors
needed) — and the constraints: each department's daily team capacity, the maximum number of
departments in one visit, pairs of items that must not be combined, the length of a visit day and the
days on which visits may be made. Output: joint visits (one enterprise, one day, several tasks), the
tasks that cannot be planned with the reason, the exact lower bound on the number of visits and the
visits saved against planning each task alone.

CONTRACT (used by qijian/joint/services and the benchmark; extend, do not rename):
``plan_visits(tasks, constraints) -> PlanResult``. Deterministic: the same input gives the same output.
Every task comes back exactly once, in a visit or as unplannable with a Chinese reason.

How (docs/joint.md, "The planner"): per enterprise, tasks are grouped by interval stabbing (optimal
without limits: the count then equals the lower bound); with limits, the groups are split to fit
the department limit, incompatible items and the visit-day length (planner_pack), placed least slack
first on the day with the most teams left (planner_place), improved by a local repair
(planner_repair), then by a bounded neighbourhood search that re-plans a few enterprises at once
exactly (planner_search).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Sequence

from qijian.joint.planner_pack import Bin, Rules, by_enterprise, fit_bins, part_bins, stab_bins, stab_count
from qijian.joint.planner_place import Board, place_all
from qijian.joint.planner_prep import REASON_FULL, Problem, prepare
from qijian.joint.planner_repair import repair
from qijian.joint.planner_rescue import rescue
from qijian.joint.planner_search import improve
from qijian.joint.planner_types import Constraints, PlanResult, Task, Unplannable, Visit

__all__ = ["ALGORITHM_VERSION", "Constraints", "PlanResult", "Task", "Unplannable", "Visit", "plan_visits"]

ALGORITHM_VERSION = "qijian-joint/2"  # /2: the neighbourhood search (planner_search) after the repair
Packer = Callable[[Problem, list[int], Rules], list[Bin]]
Strategy = tuple[Packer, str, bool]  # grouping, day choice, order by deadline (else by slack)
# The first is the default; the others are tried when it loses something, as many as the size allows.
STRATEGIES: list[Strategy] = [
    (fit_bins, "spread", False),
    (part_bins, "spread", False),
    *(
        (packer, pick, by_deadline)
        for packer in (fit_bins, part_bins)
        for pick in ("early", "late", "spread")
        for by_deadline in (False, True)
        if (pick, by_deadline) != ("spread", False)
    ),
]
PORTFOLIO_TASKS = 40_000  # tasks × strategies run beyond the first two


def plan_visits(tasks: Sequence[Task], constraints: Constraints | None = None) -> PlanResult:
    enabled = gc.isenabled()
    gc.disable()  # ~10^5 small objects and no cycles: the cyclic collector would only rescan them
    try:
        return _plan(tasks, constraints or Constraints())
    finally:
        if enabled:
            gc.enable()


def _plan(tasks: Sequence[Task], constraints: Constraints) -> PlanResult:
    problem = prepare(tasks, constraints)
    groups = by_enterprise(problem)
    bounds = {problem.tasks[g[0]].enterprise: stab_count(g, problem.lo, problem.hi) for g in groups}
    if not problem.limited:
        bins = [b for g in groups for b in stab_bins(problem, g)]
        for b in bins:
            b.day = b.hi
        return _result(problem, bins, [], sum(bounds.values()))
    board = _run(problem, groups, bounds, STRATEGIES[0])
    for strategy in STRATEGIES[1 : _tries(problem, board, bounds)]:
        board = min(board, _run(problem, groups, bounds, strategy), key=_cost)
    improve(board, bounds)
    bins = [b for visits in board.by_enterprise.values() for b in visits]
    return _result(problem, bins, board.full, sum(bounds.values()))


def _tries(problem: Problem, board: Board, bounds: dict[int, int]) -> int:
    """How many strategies to run: more when the first one lost something and the input is small."""
    if _cost(board) == (0, sum(bounds.values())):
        return 1  # every task planned in the least number of visits: nothing to gain
    affordable = min(len(STRATEGIES), PORTFOLIO_TASKS // max(1, len(problem.good)))
    return max(1, affordable)


def _run(problem: Problem, groups: list[list[int]], bounds: dict[int, int], strategy: Strategy) -> Board:
    packer, pick, by_deadline = strategy
    rules = Rules(problem.constraints)
    board = Board(problem, rules, pick)
    place_all(board, [b for g in groups for b in packer(problem, g, rules)], by_deadline)
    rescue(board)
    repair(board, [e for e, bound in bounds.items() if len(board.by_enterprise[e]) > bound])
    return board


def _cost(board: Board) -> tuple[int, int]:
    """Unplanned tasks first, then visits."""
    return len(board.full), sum(len(visits) for visits in board.by_enterprise.values())


def _result(problem: Problem, bins: list[Bin], full: list[int], bound: int) -> PlanResult:
    tasks, days = problem.tasks, problem.days
    ids = [t.id for t in tasks]
    for b in bins:
        b.tasks.sort()
    visits = [
        Visit(b.enterprise, days[b.day], tuple([ids[k] for k in b.tasks]), tuple(sorted(b.hours)))
        for b in sorted(bins, key=lambda b: (b.enterprise, b.day, b.tasks[0]))
    ]
    aside = sorted([*problem.set_aside, *((k, REASON_FULL) for k in full)], key=lambda pair: pair[0])
    unplannable = tuple(Unplannable(tasks[k].id, reason) for k, reason in aside)
    return PlanResult(tuple(visits), unplannable, bound, len(tasks) - len(unplannable))


def stabbing_days(tasks: Sequence[Task]) -> list[dt.date]:
    """The least set of days such that every task's window holds one (greedy by window end: optimal)."""
    days: list[dt.date] = []
    for task in sorted(tasks, key=lambda t: (t.latest, t.earliest)):
        if not days or days[-1] < task.earliest:
            days.append(task.latest)
    return days
