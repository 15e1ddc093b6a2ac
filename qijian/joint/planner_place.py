"""Placing candidate visits on days where every limited department still has a team.

Visits are placed least slack first (narrowest window, then most departments), each on the day of its
window where its departments have the most teams left (spreading the load keeps room for the visits
that come later). A visit that finds no day first tries to make room by moving one visit per blocked
department to another day of that visit's window; failing that, its tasks are split: each joins
another visit of the enterprise it fits, or a new visit is opened on the day that serves most of
them. A task that finds no team on any day of its window is reported, never dropped.
"""

from __future__ import annotations

from collections import defaultdict

from qijian.joint.planner_pack import Bin, Rules
from qijian.joint.planner_prep import Problem

MOVE_TRIES = 24  # visits examined per blocked (department, day) when making room
MEMO_TASKS = 5000  # above this many tasks, a (department, day) where no visit could move is not tried again


class Board:
    """The placed visits, the teams left per (department, day) and which visits use them."""

    def __init__(self, problem: Problem, rules: Rules, pick: str = "spread") -> None:
        self.problem, self.rules = problem, rules
        self.pick = pick  # the day chosen: "spread" (most teams left), "early" or "late" (first with a team)
        self.rem = {d: list(row) for d, row in problem.rem.items()}  # teams left
        # (department, day) -> visits using a team: ordered sets (deterministic), built when first needed
        self._users: dict[tuple[int, int], dict[Bin, None]] | None = None
        self.by_enterprise: dict[int, list[Bin]] = defaultdict(list)
        self.full: list[int] = []  # tasks left without a team
        self.stuck: set[tuple[int, int]] = set()  # (department, day) where no visit could be moved away

    def limited(self, b: Bin) -> list[int]:
        return [d for d in b.hours if d in self.rem]

    @property
    def users(self) -> dict[tuple[int, int], dict[Bin, None]]:
        if self._users is None:
            self._users = defaultdict(dict)
            for visits in self.by_enterprise.values():
                for b in visits:
                    for d in self.limited(b):
                        self._users[d, b.day][b] = None
        return self._users

    def put(self, b: Bin, day: int) -> None:
        b.day = day
        rem, users = self.rem, self._users
        for d in b.hours:
            row = rem.get(d)
            if row is not None:
                row[day] -= 1
                if users is not None:
                    users[d, day][b] = None
        self.by_enterprise[b.enterprise].append(b)

    def lift(self, b: Bin) -> None:
        for d in self.limited(b):
            self.rem[d][b.day] += 1
            if self._users is not None:
                del self._users[d, b.day][b]
        self.by_enterprise[b.enterprise].remove(b)
        b.day = -1

    def best_day(self, b: Bin, avoid: int = -1) -> int:
        """The day of b's window where its limited departments have the most teams left (-1: none left)."""
        rows = [self.rem[d] for d in b.hours if d in self.rem]
        if not rows:
            return b.hi if b.hi != avoid else (b.lo if b.lo != avoid else -1)
        seg = rows[0][b.lo : b.hi + 1] if len(rows) == 1 else list(map(min, *(row[b.lo : b.hi + 1] for row in rows)))
        if b.lo <= avoid <= b.hi:
            seg[avoid - b.lo] = 0
        if self.pick == "spread":
            top = max(seg)
            return b.lo + seg.index(top) if top > 0 else -1
        step = 1 if self.pick == "early" else -1
        return next((b.lo + n for n in range(len(seg))[::step] if seg[n] > 0), -1)


def place_all(board: Board, bins: list[Bin], by_deadline: bool = False) -> None:
    if by_deadline:
        order = sorted(bins, key=lambda b: (b.hi, b.hi - b.lo, -len(b.hours), b.enterprise, b.tasks[0]))
    else:
        order = sorted(bins, key=lambda b: (b.hi - b.lo, -len(b.hours), b.hi, b.enterprise, b.tasks[0]))
    for b in order:
        day = board.best_day(b)
        if day < 0:
            day = make_room(board, b)
        if day >= 0:
            board.put(b, day)
        else:
            split(board, b.enterprise, b.tasks)


def make_room(board: Board, b: Bin) -> int:
    """Free a day of b's window by moving, for each blocked department, one visit to another day."""
    for day in _fewest_blocked_days(board, b):
        moved: list[tuple[Bin, int]] = []
        for d in board.limited(b):
            if board.rem[d][day] > 0:
                continue
            w = _move_one(board, d, day)
            if w is None:
                break
            moved.append((w, day))
        else:
            return day
        for w, old in reversed(moved):
            board.lift(w)
            board.put(w, old)
    return -1


def _fewest_blocked_days(board: Board, b: Bin, limit: int = 8) -> list[int]:
    rows = [board.rem[d] for d in board.limited(b)]
    blocked = {day: sum(row[day] <= 0 for row in rows) for day in range(b.lo, b.hi + 1)}
    return sorted(blocked, key=lambda day: (blocked[day], day))[:limit]


def _move_one(board: Board, d: int, day: int) -> Bin | None:
    """Move one visit using department d on ``day`` to another day of its window; returns it."""
    if (d, day) in board.stuck:
        return None  # (large inputs only; see below)
    for w in list(board.users[d, day])[:MOVE_TRIES]:
        board.lift(w)
        new = board.best_day(w, avoid=day)
        board.put(w, new if new >= 0 else day)
        if new >= 0:
            return w
    if len(board.problem.good) > MEMO_TASKS:  # teams are only taken while placing: it likely stays stuck
        board.stuck.add((d, day))
    return None


def split(board: Board, enterprise: int, tasks: list[int]) -> None:
    """Place tasks one by one: into another visit of the enterprise, else into new visits."""
    pending = [k for k in tasks if not _join(board, enterprise, k)]
    while pending:
        day = _busiest_day(board, pending)
        if day < 0:
            board.full.extend(pending)
            return
        b = _open(board, enterprise, pending, day)
        board.put(b, day)
        pending = [k for k in pending if k not in b.tasks and not _join(board, enterprise, k)]


def _fits_day(board: Board, k: int, day: int) -> bool:
    problem = board.problem
    row = board.rem.get(problem.tasks[k].department)
    return problem.lo[k] <= day <= problem.hi[k] and (row is None or row[day] > 0)


def _join(board: Board, enterprise: int, k: int) -> bool:
    task, problem = board.problem.tasks[k], board.problem
    lo, hi = problem.lo[k], problem.hi[k]
    fitting = [w for w in board.by_enterprise[enterprise] if lo <= w.day <= hi and board.rules.fits(w, task)]
    fitting.sort(key=lambda w: task.department not in w.hours)
    for w in fitting:
        if task.department in w.hours or _fits_day(board, k, w.day):
            day = w.day
            board.lift(w)
            w.add(k, task, lo, hi)
            board.put(w, day)
            return True
    return False


def _busiest_day(board: Board, pending: list[int]) -> int:
    """The day on which most pending tasks have a team (-1: none has one on any day)."""
    problem = board.problem
    if len(pending) == 1:
        k = pending[0]
        row = board.rem.get(problem.tasks[k].department)
        if row is None:
            return problem.hi[k]
        return next((d for d in range(problem.lo[k], problem.hi[k] + 1) if row[d] > 0), -1)
    count: dict[int, int] = defaultdict(int)
    for k in pending:
        for day in range(problem.lo[k], problem.hi[k] + 1):
            if _fits_day(board, k, day):
                count[day] += 1
    return max(sorted(count), key=lambda day: count[day], default=-1)


def _open(board: Board, enterprise: int, pending: list[int], day: int) -> Bin:
    problem = board.problem
    b = Bin(enterprise, 0, len(problem.days) - 1)
    for k in pending:
        task = problem.tasks[k]
        if _fits_day(board, k, day) and board.rules.fits(b, task):
            b.add(k, task, problem.lo[k], problem.hi[k])
    return b
