"""Rescue of tasks left without a team: augmenting paths over one department's days.

A task is left over when every day of its window has no team of its department left. Planning it
matters more than any visit saved, so the rescue searches, breadth first, for a chain of moves of
that department's work: the department's part of a visit on a full day (its tasks of that visit)
moves to another day of the part's own window, which frees a team there, and so on until a day with
a team left is reached. The parts are then moved back along the chain (a part leaving a joint visit
becomes a visit of its own, or joins one of its enterprise that day) and the task is placed on the
first day. Days from which a search failed are remembered per department: a task whose window lies
inside them cannot be rescued either, which keeps overloaded quarters fast.

A task still left over may share a team: it joins its department's team at a visit of its
enterprise, the team moving (by the same search) to a day of both windows. Last, a lone task is left
out in favour of one that can join an existing visit: as many tasks planned, one visit fewer.
"""

from __future__ import annotations

from collections import deque

from qijian.joint.planner_pack import Bin
from qijian.joint.planner_place import Board, split

SHARE_TRIES = 200  # tasks tried for a shared team (each a fresh search): bounds an overloaded quarter
Step = tuple[int, Bin, int]  # (day left, visit holding the part, day reached)


def rescue(board: Board) -> None:
    left, board.full = sorted(board.full, key=lambda k: _slack(board, k)), []
    dead: dict[int, set[int]] = {}
    for k in left:
        dept = board.problem.tasks[k].department
        window = range(board.problem.lo[k], board.problem.hi[k] + 1)
        if dept in board.rem and not dead.setdefault(dept, set()).issuperset(window):
            chain = _search(board, dept, window, dead[dept])
            if chain is not None:
                _shift(board, dept, chain)
        split(board, board.problem.tasks[k].enterprise, [k])
    for k in list(board.full)[:SHARE_TRIES]:
        if board.problem.tasks[k].department in board.rem and _share_team(board, k):
            board.full.remove(k)
    for i, k in enumerate(list(board.full)):
        _swap(board, i, k)


def _share_team(board: Board, k: int) -> bool:
    """Add k to its department's team at a visit of its enterprise, moving that team to a day both fit."""
    p, dept = board.problem, board.problem.tasks[k].department
    for w in [v for v in board.by_enterprise[p.tasks[k].enterprise] if dept in v.hours]:
        part = [j for j in w.tasks if p.tasks[j].department == dept] + [k]
        lo, hi = max(p.lo[j] for j in part), min(p.hi[j] for j in part)
        if lo > hi or not _fits_all(board, Bin(w.enterprise, lo, hi), part):
            continue
        day, before = w.day, list(w.tasks)
        board.lift(w)  # the department's team leaves w, which keeps the other departments
        rest = [j for j in before if p.tasks[j].department != dept]
        if rest:
            _refill(board, w, rest, day)
        found = _search(board, dept, range(lo, hi + 1), set())
        if found is not None:
            _shift(board, dept, found)
            _refill(board, Bin(w.enterprise, 0, 0), part, _start(found, board, dept, lo, hi))
            return True
        if rest:
            board.lift(w)
        _refill(board, w, before, day)
    return False


def _start(chain: list[Step], board: Board, dept: int, lo: int, hi: int) -> int:
    """The day of the window the chain frees (its first move's origin, or a day with a team left)."""
    if chain:
        return chain[-1][0]
    return next(d for d in range(lo, hi + 1) if board.rem[dept][d] > 0)


def _swap(board: Board, i: int, k: int) -> None:
    """Leave out a lone task instead of k when k can join a visit: as many planned, one visit fewer."""
    p, task = board.problem, board.problem.tasks[k]
    for w in list(board.by_enterprise[task.enterprise]):
        if not (p.lo[k] <= w.day <= p.hi[k] and board.rules.fits(w, task)):
            continue
        lone = next((v for v in board.users[task.department, w.day] if len(v.tasks) == 1 and v is not w), None)
        if lone is not None:
            board.lift(lone)
            board.full[i] = lone.tasks[0]
            day = w.day
            board.lift(w)
            w.add(k, task, p.lo[k], p.hi[k])
            board.put(w, day)
            return


def _slack(board: Board, k: int) -> tuple[int, int]:
    return board.problem.hi[k] - board.problem.lo[k], k


def _search(board: Board, dept: int, window: range, dead: set[int]) -> list[Step] | None:
    """A chain of part moves ending on a day with a team of ``dept`` left (None: none; marks days dead)."""
    came: dict[int, Step | None] = {d: None for d in window}
    queue = deque(window)
    while queue:
        day = queue.popleft()
        if board.rem[dept][day] > 0:
            return _chain(came, day)
        for w in board.users[dept, day]:
            for nxt in range(*_part_window(board, w, dept)):
                if nxt not in came:
                    came[nxt] = (day, w, nxt)
                    queue.append(nxt)
    dead.update(came)
    return None


def _chain(came: dict[int, Step | None], day: int) -> list[Step]:
    steps = []
    step = came[day]
    while step is not None:
        steps.append(step)
        step = came[step[0]]
    return steps  # from the free day back to the task's window


def _part_window(board: Board, w: Bin, dept: int) -> tuple[int, int]:
    if len(w.hours) == 1:
        return w.lo, w.hi + 1
    p = board.problem
    ks = [k for k in w.tasks if p.tasks[k].department == dept]
    return max(p.lo[k] for k in ks), min(p.hi[k] for k in ks) + 1


def _shift(board: Board, dept: int, chain: list[Step]) -> None:
    for _, w, day in chain:
        _move_part(board, w, dept, day)


def _move_part(board: Board, w: Bin, dept: int, day: int) -> None:
    p = board.problem
    part = [k for k in w.tasks if p.tasks[k].department == dept]
    rest = [k for k in w.tasks if p.tasks[k].department != dept]
    old = w.day
    board.lift(w)
    if rest:
        _refill(board, w, rest, old)
    host = next((v for v in board.by_enterprise[w.enterprise] if v.day == day and _fits_all(board, v, part)), None)
    if host is None:
        _refill(board, Bin(w.enterprise, 0, 0), part, day)
    else:
        board.lift(host)
        _refill(board, host, host.tasks + part, day)


def _fits_all(board: Board, host: Bin, part: list[int]) -> bool:
    trial = Bin(host.enterprise, host.lo, host.hi)
    trial.hours, trial.items = dict(host.hours), list(host.items)
    for k in part:
        task = board.problem.tasks[k]
        if not board.rules.fits(trial, task):
            return False
        trial.add(k, task, host.lo, host.hi)
    return True


def _refill(board: Board, b: Bin, tasks: list[int], day: int) -> None:
    """Give b exactly ``tasks`` (its window recomputed) and put it on ``day``."""
    p = board.problem
    b.tasks, b.hours, b.items, b.lo, b.hi = [], {}, [], 0, len(p.days) - 1
    for k in sorted(tasks):
        b.add(k, p.tasks[k], p.lo[k], p.hi[k])
    board.put(b, day)
