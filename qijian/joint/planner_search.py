"""Large-neighbourhood search after the repair: re-plan a few enterprises at once, exactly, within a budget.

At an enterprise that still has more visits than its stabbing number, or a task left without a team,
the planner lifts every visit of a small set of enterprises — the enterprise alone, then with each
enterprise whose visits hold the teams its tasks need on the days of their windows, then with all of
them — and searches their tasks' placement afresh (branch and bound, depth first) against the teams
the rest of the plan leaves. Each task joins a visit of its enterprise already open in the search (on
a day of its window, within the limits, with a team if its department is new there), opens a visit
on a day of its window with a team left, or stays unplanned. The cost is lexicographic: (tasks
unplanned, visits, teams used) — fewer teams leave more for the other enterprises. A branch is cut
when its cost plus a lower bound — tasks with no team left on any day of their window are unplanned;
at each enterprise, the stabbing number of the remaining tasks that no open visit's day meets —
reaches the best cost known, which starts at the current plan's: a strict descent changes a
neighbourhood only for the better. Then plateau moves: random neighbourhoods re-planned with shuffled
choices, keeping any plan at least as good, leave a local optimum. That is what moves several visits
at once to pair up departments when teams are short, beyond the single moves of planner_repair.

Bounded and deterministic: work is counted in search nodes (no clock), per neighbourhood and in
total, and the random choices are seeded from the input's size.
"""

from __future__ import annotations

import random
from collections import Counter

from qijian.joint.planner_pack import Bin
from qijian.joint.planner_place import Board

# The total budget, in search nodes (≈ 5 µs each; scans for rivals and neighbourhoods are charged
# too): SMALL_NODES on inputs up to SMALL_TASKS tasks, where quality is measured, shrinking beyond,
# plus NODES_PER_TASK per task — so 100,000 tasks get ≈ 54,000 nodes, ≈ 0.15 s of search.
SMALL_NODES = 200_000
SMALL_TASKS = 2_000
NODES_PER_TASK = 0.5
NODES_PER_TRY = 500  # per neighbourhood, strict descent
MAX_TASKS = 24  # tasks in one neighbourhood
NEIGHBOURS = 4  # enterprises competing for the same teams, tried in pairs and all together
WANDER_TRIES = 300  # plateau moves at most
WANDER_NODES = 1_000  # per plateau move
PASSES = 3  # sweeps over the enterprises while one improves

Layout = tuple[list[tuple[int, int, list[int]]], list[int]]  # visits (enterprise, day, tasks), unplanned


def weights(n: int) -> tuple[int, int]:
    """Costs of a visit and of a task left out, lexicographic over (unplanned, visits, teams): n teams at most."""
    visit = n + 1
    return visit, visit * (n + 1)


class Search:
    """Branch and bound over the tasks of a few enterprises, against the board's remaining teams."""

    def __init__(
        self, board: Board, tasks: list[int], limit: int, current: tuple[int, dict[int, int]], rng: random.Random | None
    ) -> None:
        p = board.problem
        self.p, self.rules, self.rem = p, board.rules, board.rem
        self.order = sorted(tasks, key=lambda k: (p.hi[k], p.lo[k], k))
        rows = [self.rem.get(p.tasks[k].department) for k in self.order]
        self.info = [(p.tasks[k].enterprise, p.lo[k], p.hi[k], row) for k, row in zip(self.order, rows, strict=True)]
        self.visit_cost, self.skip_cost = weights(len(p.good))
        self.limit, self.nodes = limit, 0
        self.best_cost, self.day_now = current  # the current plan's cost and each task's day (-1: unplanned)
        self.best: Layout | None = None
        self.open: dict[int, list[Bin]] = {p.tasks[k].enterprise: [] for k in tasks}
        self.days: dict[int, list[int]] = {e: [] for e in self.open}  # the open visits' days
        self.skipped: list[int] = []
        self.rng = rng  # shuffles the choices and keeps searching after a first plan (plateau moves)

    def run(self) -> Layout | None:
        self._dfs(0, 0)
        return self.best

    def _dfs(self, i: int, cost: int) -> None:
        self.nodes += 1
        if self.nodes > self.limit or (self.best is not None and self.rng is None):
            return
        if self._bound(i, self.best_cost - cost):
            return
        if i == len(self.order):
            self.best_cost, self.best = cost, self._layout()
            return
        k = self.order[i]
        for host, day in self._options(k):
            if host is not None:
                self._join(i, k, host, cost)
            elif day >= 0:
                self._open_visit(i, k, day, cost)
            else:
                self.skipped.append(k)
                self._dfs(i + 1, cost + self.skip_cost)
                self.skipped.pop()

    def _options(self, k: int) -> list[tuple[Bin | None, int]]:
        """Join an open visit, open one on a day, or leave k out (day -1): the current choice first, or shuffled."""
        hosts = self._hosts(k)
        options: list[tuple[Bin | None, int]] = [(v, v.day) for v in hosts]
        options += [(None, d) for d in self._new_days(k, hosts)] + [(None, -1)]
        if self.rng is not None:
            self.rng.shuffle(options)
            return options
        now = self.day_now.get(k, -1)
        first = next((n for n, (_, day) in enumerate(options) if day == now), 0)
        return [options[first], *options[:first], *options[first + 1 :]]

    def _bound(self, i: int, slack: int) -> bool:
        """Whether the remaining tasks must cost at least ``slack``: those without a team left on any day
        are unplanned; at each enterprise, the others need the stabbing number of those no open visit meets."""
        point: dict[int, int] = {}
        count, days, skip_cost, visit_cost = 0, self.days, self.skip_cost, self.visit_cost
        for n in range(i, len(self.info)):
            e, lo, hi, row = self.info[n]
            if row is not None and not any(row[lo : hi + 1]) and self._stranded(self.order[n]):
                count += skip_cost
            elif point.get(e, -1) < lo:
                for day in days[e]:
                    if lo <= day <= hi:
                        break
                else:
                    point[e] = hi
                    count += visit_cost
            if count >= slack:
                return True
        return count >= slack

    def _stranded(self, k: int) -> bool:
        """No open visit in k's window holds a team of its department (none is left on those days)."""
        p, dept = self.p, self.p.tasks[k].department
        return not any(p.lo[k] <= v.day <= p.hi[k] and dept in v.hours for v in self.open[p.tasks[k].enterprise])

    def _hosts(self, k: int) -> list[Bin]:
        """Open visits k can join: those holding its department first (no extra team)."""
        p, task = self.p, self.p.tasks[k]
        row = self.rem.get(task.department)
        fits = [
            v
            for v in self.open[task.enterprise]
            if p.lo[k] <= v.day <= p.hi[k]
            and (task.department in v.hours or row is None or row[v.day] > 0)
            and self.rules.fits(v, task)
        ]
        return sorted(fits, key=lambda v: task.department not in v.hours)

    def _new_days(self, k: int, hosts: list[Bin]) -> list[int]:
        """Days of k's window with a team left, latest first; a day where k could join a visit is skipped."""
        p, task = self.p, self.p.tasks[k]
        row = self.rem.get(task.department)
        taken = {v.day for v in hosts}
        return [d for d in range(p.hi[k], p.lo[k] - 1, -1) if (row is None or row[d] > 0) and d not in taken]

    def _join(self, i: int, k: int, v: Bin, cost: int) -> None:
        task = self.p.tasks[k]
        dept = task.department
        before = v.hours.get(dept)
        row = self.rem.get(dept) if before is None else None
        if row is not None:
            row[v.day] -= 1
            cost += 1  # a team taken: the last criterion, fewer teams leave more for the others
        v.tasks.append(k)
        v.items.append(task.item)
        v.hours[dept] = (before or 0.0) + task.duration_hours
        self._dfs(i + 1, cost)
        v.tasks.pop()
        v.items.pop()
        if before is None:
            del v.hours[dept]
        else:
            v.hours[dept] = before
        if row is not None:
            row[v.day] += 1

    def _open_visit(self, i: int, k: int, day: int, cost: int) -> None:
        v = Bin(self.p.tasks[k].enterprise, day, day)
        v.day = day
        visits = self.open[v.enterprise]
        visits.append(v)
        self.days[v.enterprise].append(day)
        self._join(i, k, v, cost + self.visit_cost)
        self.days[v.enterprise].pop()
        visits.pop()

    def _layout(self) -> Layout:
        visits = [(v.enterprise, v.day, list(v.tasks)) for vs in self.open.values() for v in vs]
        return visits, list(self.skipped)


class Sweep:
    """The search's state over a whole plan: the board, the stabbing numbers, the tasks left over per
    enterprise (board.full, indexed; written back at the end) and the nodes left."""

    def __init__(self, board: Board, bounds: dict[int, int]) -> None:
        self.board, self.bounds, p = board, bounds, board.problem
        self.left: dict[int, list[int]] = {}
        for k in board.full:
            self.left.setdefault(p.tasks[k].enterprise, []).append(k)
        n = len(p.good)
        self.budget = int(SMALL_NODES * min(1.0, SMALL_TASKS / max(1, n)) + NODES_PER_TASK * n)
        self.costs = weights(n)

    def gap(self, e: int) -> bool:
        """Whether e has more visits than its stabbing number, or a task left over."""
        return len(self.board.by_enterprise[e]) > self.bounds[e] or bool(self.left.get(e))

    def targets(self) -> list[int]:
        return sorted(e for e in self.bounds if self.gap(e))

    def tasks_of(self, enterprises: list[int]) -> list[int]:
        by_enterprise = self.board.by_enterprise
        return sorted(
            k for e in enterprises for k in [*self.left.get(e, ()), *(j for v in by_enterprise[e] for j in v.tasks)]
        )

    def finish(self) -> None:
        self.board.full = sorted(k for ks in self.left.values() for k in ks)


def improve(board: Board, bounds: dict[int, int]) -> None:
    """Re-plan neighbourhoods of the enterprises above their stabbing number or with a task left over."""
    sweep = Sweep(board, bounds)
    for _ in range(PASSES):
        changed = False
        for e in _doubled(board):
            changed = (sweep.budget > 0 and _try(sweep, [e])) or changed
        for e in sweep.targets():
            while sweep.budget > 0 and sweep.gap(e) and _improve_at(sweep, e):
                changed = True
        if not changed or sweep.budget <= 0:
            break
    wander(sweep)
    sweep.finish()


def wander(sweep: Sweep) -> None:
    """Plateau moves: re-plan random neighbourhoods of the enterprises still above their bound, keeping
    any plan at least as good (seeded: deterministic), so that the search leaves a local optimum."""
    rng = random.Random(len(sweep.board.problem.good))  # noqa: S311 - a reproducible search order, not a secret
    targets = sweep.targets()
    for _ in range(WANDER_TRIES):
        targets = [e for e in targets if sweep.gap(e)]
        if not targets or sweep.budget <= 0:
            return
        e = rng.choice(targets)
        rivals = _rivals(sweep, e)
        if rivals:
            chosen = rng.sample(rivals, rng.randint(1, min(3, len(rivals))))
            _try(sweep, [e, *sorted(chosen)], rng)


def _doubled(board: Board) -> list[int]:
    """Enterprises where a department sends teams to two visits: one team might do (a team freed)."""
    found = []
    for e, visits in sorted(board.by_enterprise.items()):
        teams = [d for v in visits for d in board.limited(v)]
        if len(teams) > len(set(teams)):
            found.append(e)
    return found


def _improve_at(sweep: Sweep, e: int) -> bool:
    """Try the neighbourhoods of e in turn; True after the first that improves the plan."""
    rivals = _rivals(sweep, e)
    sets = [[e], *([e, f] for f in rivals)]
    if len(rivals) > 1:
        sets.append([e, *rivals])
    return any(_try(sweep, s) for s in sets if sweep.budget > 0)


def _rivals(sweep: Sweep, e: int) -> list[int]:
    """Enterprises whose visits hold a team of a limited department of e's tasks on a day of their window."""
    board, count = sweep.board, Counter[int]()
    p = board.problem
    for k in sweep.tasks_of([e]):
        dept = p.tasks[k].department
        if dept in board.rem:
            sweep.budget -= p.hi[k] - p.lo[k] + 1
            for day in range(p.lo[k], p.hi[k] + 1):
                count.update(v.enterprise for v in board.users[dept, day] if v.enterprise != e)
    return [f for f, _ in sorted(count.items(), key=lambda fc: (-fc[1], fc[0]))[:NEIGHBOURS]]


def _try(sweep: Sweep, enterprises: list[int], rng: random.Random | None = None) -> bool:
    """Search the tasks of ``enterprises`` afresh; apply a plan that is better (or, wandering, as good)."""
    tasks = sweep.tasks_of(enterprises)
    sweep.budget -= len(tasks)
    if len(tasks) > MAX_TASKS:
        return False
    board = sweep.board
    visits = [v for e in enterprises for v in board.by_enterprise[e]]
    days = [v.day for v in visits]
    now = {k: v.day for v in visits for k in v.tasks}
    visit_cost, skip_cost = sweep.costs
    left = sum(len(sweep.left.get(e, ())) for e in enterprises)
    cost = skip_cost * left + visit_cost * len(visits) + sum(len(board.limited(v)) for v in visits)
    for v in visits:
        board.lift(v)
    limit = min(NODES_PER_TRY if rng is None else WANDER_NODES, sweep.budget)
    search = Search(board, tasks, limit, (cost + (rng is not None), now), rng)
    found = search.run()
    sweep.budget -= search.nodes
    if found is None:
        for v, day in zip(visits, days, strict=True):
            board.put(v, day)
        return False
    _apply(sweep, enterprises, found)
    return True


def _apply(sweep: Sweep, enterprises: list[int], layout: Layout) -> None:
    p, board = sweep.board.problem, sweep.board
    placed, skipped = layout
    for e, day, tasks in placed:
        b = Bin(e, 0, len(p.days) - 1)
        for k in sorted(tasks):
            b.add(k, p.tasks[k], p.lo[k], p.hi[k])
        board.put(b, day)
    for e in enterprises:
        sweep.left.pop(e, None)
    for k in sorted(skipped):
        sweep.left.setdefault(p.tasks[k].enterprise, []).append(k)
