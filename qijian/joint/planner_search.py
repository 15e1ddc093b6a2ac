"""Large-neighbourhood search after the repair: re-plan a few enterprises at once, exactly, within a budget.

At an enterprise that still has more visits than its stabbing number, or a task left without a team,
the planner lifts every visit of a small set of enterprises — the enterprise alone, then with each
enterprise whose visits hold the teams its tasks need on the days of their windows, then with
several of them — and searches their tasks' placement afresh (branch and bound, depth first) against
the teams the rest of the plan leaves. Each task joins a visit of its enterprise already open in the
search (on a day of its window, within the limits, with a team if its department is new there),
opens a visit on a day of its window with a team left, or stays unplanned. A branch is cut when its
cost plus a lower bound — at each enterprise, the stabbing number of the remaining tasks that no open
visit's day meets — reaches the best cost known, which starts at the current plan's: so a
neighbourhood changes only when it strictly lowers (unplanned tasks, visits). That is what moves
several visits at once to pair up departments when teams are short, beyond what the single moves of
planner_repair reach.

Bounded and deterministic: nodes are counted (no clock), per neighbourhood and in total, the total
proportional to the input (``NODES_PER_TASK``), so a county-sized quarter stays fast.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable

from qijian.joint.planner_pack import Bin
from qijian.joint.planner_place import Board

NODES_PER_TASK = 1  # total search nodes per plannable task (≈ 5 µs each) ...
MIN_NODES = 200_000  # ... but at least this many, if at most 5,000 per task (small inputs)
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
        options = [(v, v.day) for v in hosts] + [(None, d) for d in self._new_days(k, hosts)] + [(None, -1)]
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


def improve(board: Board, bounds: dict[int, int]) -> None:
    """Re-plan neighbourhoods of the enterprises above their stabbing number or with a task left over."""
    n = len(board.problem.good)
    budget = [max(NODES_PER_TASK * n, min(MIN_NODES, 5_000 * n))]
    for _ in range(PASSES):
        changed = False
        for e in _doubled(board):
            changed = _try(board, [e], budget) or changed
        for e in _targets(board, bounds):
            while budget[0] > 0 and _gap(board, bounds, e) and _improve_at(board, e, budget):
                changed = True
        if not changed or budget[0] <= 0:
            break
    wander(board, bounds, budget)


def wander(board: Board, bounds: dict[int, int], budget: list[int]) -> None:
    """Plateau moves: re-plan random neighbourhoods of the enterprises still above their bound, keeping
    any plan at least as good (seeded: deterministic), so that the search leaves a local optimum."""
    rng = random.Random(len(board.problem.good))  # noqa: S311 - a reproducible search order, not a secret
    for _ in range(WANDER_TRIES):
        targets = _targets(board, bounds)
        if not targets or budget[0] <= 0:
            return
        e = rng.choice(targets)
        rivals = _rivals(board, e)
        if rivals:
            chosen = rng.sample(rivals, rng.randint(1, min(3, len(rivals))))
            _try(board, [e, *sorted(chosen)], budget, rng)


def _targets(board: Board, bounds: dict[int, int]) -> list[int]:
    return sorted(e for e in bounds if _gap(board, bounds, e))


def _doubled(board: Board) -> list[int]:
    """Enterprises where a department sends teams to two visits: one team might do (a team freed)."""
    found = []
    for e, visits in sorted(board.by_enterprise.items()):
        teams = [d for v in visits for d in board.limited(v)]
        if len(teams) > len(set(teams)):
            found.append(e)
    return found


def _gap(board: Board, bounds: dict[int, int], e: int) -> bool:
    if len(board.by_enterprise[e]) > bounds[e]:
        return True
    p = board.problem
    return any(p.tasks[k].enterprise == e for k in board.full)


def _improve_at(board: Board, e: int, budget: list[int]) -> bool:
    """Try the neighbourhoods of e in turn; True after the first that improves the plan."""
    rivals = _rivals(board, e)
    sets = [[e], *([e, f] for f in rivals)]
    if len(rivals) > 1:
        sets.append([e, *rivals])
    return any(_try(board, s, budget) for s in sets if budget[0] > 0)


def _rivals(board: Board, e: int) -> list[int]:
    """Enterprises whose visits hold a team of a limited department of e's tasks on a day of their window."""
    p, count = board.problem, Counter[int]()
    for k in _tasks_of(board, [e]):
        dept = p.tasks[k].department
        if dept in board.rem:
            for day in range(p.lo[k], p.hi[k] + 1):
                count.update(v.enterprise for v in board.users[dept, day] if v.enterprise != e)
    return [f for f, _ in sorted(count.items(), key=lambda fc: (-fc[1], fc[0]))[:NEIGHBOURS]]


def _tasks_of(board: Board, enterprises: Iterable[int]) -> list[int]:
    chosen = set(enterprises)
    p = board.problem
    planned = [k for e in sorted(chosen) for v in board.by_enterprise[e] for k in v.tasks]
    return sorted(planned + [k for k in board.full if p.tasks[k].enterprise in chosen])


def _try(board: Board, enterprises: list[int], budget: list[int], rng: random.Random | None = None) -> bool:
    tasks = _tasks_of(board, enterprises)
    if len(tasks) > MAX_TASKS:
        return False
    p = board.problem
    visits = [v for e in enterprises for v in board.by_enterprise[e]]
    full = [k for k in board.full if p.tasks[k].enterprise in enterprises]
    days = [v.day for v in visits]
    now = {k: v.day for v in visits for k in v.tasks}
    visit_cost, skip_cost = weights(len(p.good))
    cost = skip_cost * len(full) + visit_cost * len(visits) + sum(len(board.limited(v)) for v in visits)
    for v in visits:
        board.lift(v)
    limit = min(NODES_PER_TRY if rng is None else WANDER_NODES, budget[0])
    search = Search(board, tasks, limit, (cost + (rng is not None), now), rng)
    found = search.run()
    budget[0] -= search.nodes
    if found is None:
        for v, day in zip(visits, days, strict=True):
            board.put(v, day)
        return False
    _apply(board, found, set(full))
    return True


def _apply(board: Board, layout: Layout, old_full: set[int]) -> None:
    p = board.problem
    placed, skipped = layout
    for e, day, tasks in placed:
        b = Bin(e, 0, len(p.days) - 1)
        for k in sorted(tasks):
            b.add(k, p.tasks[k], p.lo[k], p.hi[k])
        board.put(b, day)
    board.full = [k for k in board.full if k not in old_full] + sorted(skipped)
