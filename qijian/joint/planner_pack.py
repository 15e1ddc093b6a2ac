"""Grouping each enterprise's tasks into candidate visits ("bins"), before any day or capacity is chosen.

Tasks are taken in order of window end. Without limits this is interval stabbing: a bin opens at the
end of the first task it takes and every later task whose window starts by then joins it, which
gives the least number of visits (the lower bound). With a department limit, incompatible items or a
visit-day length, a task joins the open bin it fits (one already holding its department first), or
opens a new one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qijian.joint.planner_prep import Problem
from qijian.joint.planner_types import Constraints, Task


class Bin:
    """A visit in the making: tasks of one enterprise, the window they share, and (once placed) its day."""

    __slots__ = ("day", "enterprise", "hi", "hours", "items", "lo", "tasks")

    def __init__(self, enterprise: int, lo: int, hi: int) -> None:
        self.enterprise = enterprise
        self.lo, self.hi = lo, hi
        self.tasks: list[int] = []
        self.hours: dict[int, float] = {}  # department -> its tasks' hours here (the keys: the departments)
        self.items: list[str] = []
        self.day = -1

    def add(self, k: int, task: Task, lo: int, hi: int) -> None:
        self.tasks.append(k)
        hours = self.hours
        hours[task.department] = hours.get(task.department, 0.0) + task.duration_hours
        self.items.append(task.item)
        if lo > self.lo:
            self.lo = lo
        if hi < self.hi:
            self.hi = hi


class Rules:
    """The limits on one visit's content: departments, incompatible items, hours of a team."""

    def __init__(self, constraints: Constraints) -> None:
        self.max_departments = constraints.max_departments
        self.max_hours = None if constraints.max_hours is None else constraints.max_hours + 1e-9
        self.incompatible: dict[str, set[str]] = {}
        for pair in constraints.incompatible:
            for item in pair:
                self.incompatible.setdefault(item, set()).update(pair if len(pair) == 1 else pair - {item})

    def fits(self, b: Bin, task: Task) -> bool:
        hours = b.hours.get(task.department)
        if hours is None:
            if self.max_departments is not None and len(b.hours) >= self.max_departments:
                return False
            hours = 0.0
        if self.max_hours is not None and hours + task.duration_hours > self.max_hours:
            return False
        bad = self.incompatible.get(task.item)
        return not bad or bad.isdisjoint(b.items)


def by_enterprise(problem: Problem) -> list[list[int]]:
    """Plannable task indexes grouped by enterprise (enterprises ascending), each by window end."""
    good = np.asarray(problem.good, dtype=np.int64)
    if not good.size:
        return []
    enterprise = np.asarray([problem.tasks[k].enterprise for k in problem.good], dtype=np.int64)
    lo, hi = np.asarray(problem.lo, dtype=np.int64)[good], np.asarray(problem.hi, dtype=np.int64)[good]
    order = np.lexsort((good, lo, hi, enterprise))
    cuts = np.flatnonzero(np.diff(enterprise[order])) + 1
    return [part.tolist() for part in np.split(good[order], cuts)]


def stab_count(group: Sequence[int], lo: Sequence[int], hi: Sequence[int]) -> int:
    """The least number of days meeting every window of ``group`` (sorted by window end)."""
    count, point = 0, -1
    for k in group:
        if lo[k] > point:
            count, point = count + 1, hi[k]
    return count


def stab_bins(problem: Problem, group: Sequence[int]) -> list[Bin]:
    tasks, lo, hi = problem.tasks, problem.lo, problem.hi
    bins: list[Bin] = []
    for k in group:
        if not bins or lo[k] > bins[-1].hi:
            bins.append(Bin(tasks[k].enterprise, lo[k], hi[k]))
        bins[-1].add(k, tasks[k], lo[k], hi[k])
    return bins


def fit_bins(problem: Problem, group: Sequence[int], rules: Rules) -> list[Bin]:
    tasks, lo, hi = problem.tasks, problem.lo, problem.hi
    bins: list[Bin] = []
    for k in group:
        task = tasks[k]
        chosen = _choose(bins, task, lo[k], rules)
        if chosen is None:
            chosen = Bin(task.enterprise, lo[k], hi[k])
            bins.append(chosen)
        chosen.add(k, task, lo[k], hi[k])
    return bins


def _choose(bins: list[Bin], task: Task, start: int, rules: Rules) -> Bin | None:
    """The open bin (its window reaching ``start``) the task fits: one with its department first."""
    dept, fallback = task.department, None
    for b in reversed(bins):
        if b.hi < start:
            break
        if dept in b.hours:
            if rules.fits(b, task):
                return b
        elif fallback is None and rules.fits(b, task):
            fallback = b
    return fallback


def part_bins(problem: Problem, group: Sequence[int], rules: Rules) -> list[Bin]:
    """Bins built from parts: per department, its tasks stabbed into as few teams as possible first.

    Fewer teams than ``fit_bins`` when a department has several tasks at the enterprise, at the price of
    narrower windows (sometimes more visits): the better choice when teams run short.
    """
    tasks, hi = problem.tasks, problem.hi
    parts = sorted(_parts(problem, group, rules), key=lambda p: (p.hi, p.lo, p.tasks[0]))
    bins: list[Bin] = []
    for part in parts:
        chosen = next((b for b in reversed(bins) if b.hi >= part.lo and _fits_part(rules, b, part, tasks)), None)
        if chosen is None:
            chosen = Bin(part.enterprise, part.lo, hi[part.tasks[0]])
            bins.append(chosen)
        for k in part.tasks:
            chosen.add(k, tasks[k], part.lo, part.hi)
    return bins


def _parts(problem: Problem, group: Sequence[int], rules: Rules) -> list[Bin]:
    tasks, lo, hi = problem.tasks, problem.lo, problem.hi
    open_part: dict[int, Bin] = {}
    parts: list[Bin] = []
    for k in group:
        part = open_part.get(tasks[k].department)
        if part is None or lo[k] > part.hi or not rules.fits(part, tasks[k]):
            part = open_part[tasks[k].department] = Bin(tasks[k].enterprise, lo[k], hi[k])
            parts.append(part)
        part.add(k, tasks[k], lo[k], hi[k])
    return parts


def _fits_part(rules: Rules, b: Bin, part: Bin, tasks: Sequence[Task]) -> bool:
    trial = Bin(b.enterprise, b.lo, b.hi)
    trial.hours, trial.items = dict(b.hours), list(b.items)
    for k in part.tasks:
        if not rules.fits(trial, tasks[k]):
            return False
        trial.add(k, tasks[k], part.lo, part.hi)
    return True
