"""Local repair after placement: fewer visits at the enterprises that have more than their lower bound.

Two moves, repeated while one helps: dissolve a visit by moving each of its tasks into another
visit of the same enterprise (on a day inside the task's window, within the limits, with a team for a
department the visit did not have), and merge two visits whose windows meet into one placed on a day
with teams for all their departments (making room if needed). Tasks still without a team are
rescued again at the end (planner_rescue), since the repair may have freed some.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from qijian.joint.planner_pack import Bin
from qijian.joint.planner_place import Board, _join, make_room, split
from qijian.joint.planner_rescue import rescue

ROUNDS = 8  # improving moves tried per enterprise

Snapshot = tuple[Bin, int, list[int], dict[int, float], list[str], int, int]


def repair(board: Board, enterprises: Iterable[int]) -> None:
    for enterprise in enterprises:
        for _ in range(ROUNDS):
            if not (_dissolve_one(board, enterprise) or _merge_one(board, enterprise) or _replan(board, enterprise)):
                break
    rescue(board)


def _dissolve_one(board: Board, enterprise: int) -> bool:
    visits = sorted(board.by_enterprise[enterprise], key=lambda v: (len(v.tasks), v.day, v.tasks[0]))
    return any(_dissolve(board, v) for v in visits if len(board.by_enterprise[enterprise]) > 1)


def _dissolve(board: Board, v: Bin) -> bool:
    day = v.day
    board.lift(v)
    saved = [_snapshot(w) for w in board.by_enterprise[v.enterprise]]
    if all(_join(board, v.enterprise, k) for k in v.tasks):
        return True
    for snap in saved:
        _restore(board, snap)
    board.put(v, day)
    return False


def _snapshot(w: Bin) -> Snapshot:
    return (w, w.day, list(w.tasks), dict(w.hours), list(w.items), w.lo, w.hi)


def _restore(board: Board, snap: Snapshot) -> None:
    w, day, tasks, hours, items, lo, hi = snap
    board.lift(w)
    w.tasks, w.hours, w.items, w.lo, w.hi = tasks, hours, items, lo, hi
    board.put(w, day)


def _replan(board: Board, enterprise: int) -> bool:
    """Lift all of the enterprise's visits and place its tasks afresh, day by busiest day; keep if fewer."""
    before = list(board.by_enterprise[enterprise])
    days = [v.day for v in before]
    tasks = sorted(k for v in before for k in v.tasks)
    full = len(board.full)
    for v in before:
        board.lift(v)
    split(board, enterprise, tasks)
    if len(board.full) == full and len(board.by_enterprise[enterprise]) < len(before):
        return True
    for v in list(board.by_enterprise[enterprise]):
        board.lift(v)
    del board.full[full:]
    for v, day in zip(before, days, strict=True):
        board.put(v, day)
    return False


def _merge_one(board: Board, enterprise: int) -> bool:
    visits = sorted(board.by_enterprise[enterprise], key=lambda v: (v.day, v.tasks[0]))
    return any(_merge(board, v, w) for v, w in combinations(visits, 2) if max(v.lo, w.lo) <= min(v.hi, w.hi))


def _merge(board: Board, v: Bin, w: Bin) -> bool:
    union = _union(board, v, w)
    if union is None:
        return False
    days = v.day, w.day
    board.lift(v)
    board.lift(w)
    day = board.best_day(union)
    day = day if day >= 0 else make_room(board, union)
    if day >= 0:
        board.put(union, day)
        return True
    board.put(v, days[0])
    board.put(w, days[1])
    return False


def _union(board: Board, v: Bin, w: Bin) -> Bin | None:
    problem = board.problem
    union = Bin(v.enterprise, max(v.lo, w.lo), min(v.hi, w.hi))
    for k in sorted(v.tasks + w.tasks):
        task = problem.tasks[k]
        if not board.rules.fits(union, task):
            return None
        union.add(k, task, problem.lo[k], problem.hi[k])
    return union
