"""Preparation for the planner: days as indexes, windows as index intervals, capacities as per-day rows.

Days are numbered 0..n-1 over the allowed days (every day between the earliest and latest window
when no set is given), so a window becomes the interval [lo, hi] of allowed days inside it. A task
that can never be planned (its window is reversed or holds no allowed day, it is longer than a visit
day, or its department has no team on any day of it) is set aside here with the reason.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from qijian.joint.planner_types import Constraints, Task

UNLIMITED = 1 << 30  # teams of a department with no limit: never runs out
REASON_WINDOW = "检查时间窗口无效:开始日期晚于结束日期"
REASON_NO_DAY = "时间窗口内没有可安排入企检查的日期(工作日)"
REASON_TOO_LONG = "该项检查的时长超过一次入企检查一天的时长上限"
REASON_NO_TEAM = "该部门在时间窗口内每天可派检查组数均为0"
REASON_FULL = "该部门在时间窗口内的检查组已全部排满,无法再安排"


@dataclass
class Problem:
    tasks: Sequence[Task]
    constraints: Constraints
    days: list[dt.date]
    lo: list[int]  # per task: first allowed day index of its window (-1: set aside)
    hi: list[int]
    good: list[int] = field(default_factory=list)  # indexes of the tasks that can be planned, input order
    set_aside: list[tuple[int, str]] = field(default_factory=list)  # (task index, reason)
    rem: dict[int, list[int]] = field(default_factory=dict)  # limited departments: teams left per day

    @property
    def limited(self) -> bool:
        """Whether anything but the windows constrains a visit (capacity, department limit, items, hours)."""
        c = self.constraints
        return bool(self.rem) or c.max_departments is not None or bool(c.incompatible) or c.max_hours is not None


def prepare(tasks: Sequence[Task], constraints: Constraints) -> Problem:
    days = _days(tasks, constraints)
    problem = Problem(tasks, constraints, days, [-1] * len(tasks), [-1] * len(tasks))
    problem.rem = capacity_rows(constraints, days, {t.department for t in tasks})
    _windows(problem)
    return problem


def _days(tasks: Sequence[Task], constraints: Constraints) -> list[dt.date]:
    if constraints.allowed_days is not None:
        return sorted(constraints.allowed_days)
    valid = [t for t in tasks if t.earliest <= t.latest]
    if not valid:
        return []
    first, last = min(t.earliest for t in valid), max(t.latest for t in valid)
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


def capacity_rows(constraints: Constraints, days: list[dt.date], departments: set[int]) -> dict[int, list[int]]:
    """Teams per day index of every department that has a limit (the others are absent: unlimited)."""
    index = {day: k for k, day in enumerate(days)}
    rows = {d: [constraints.default_capacity.get(d, UNLIMITED)] * len(days) for d in departments}
    for (dept, day), teams in constraints.capacity.items():
        if dept in rows and day in index:
            rows[dept][index[day]] = teams
    return {d: row for d, row in rows.items() if min(row, default=UNLIMITED) < UNLIMITED}


def _windows(problem: Problem) -> None:
    days, cache = problem.days, {}  # type: ignore[var-annotated]
    open_days = {d: [0, *accumulate(n > 0 for n in row)] for d, row in problem.rem.items()}
    max_hours = problem.constraints.max_hours
    for k, task in enumerate(problem.tasks):
        key = (task.earliest, task.latest)
        span = cache.get(key)
        if span is None:
            span = cache[key] = (bisect_left(days, task.earliest), bisect_right(days, task.latest) - 1)
        reason = _reason(task, span, open_days.get(task.department), max_hours)
        if reason:
            problem.set_aside.append((k, reason))
        else:
            problem.lo[k], problem.hi[k] = span
            problem.good.append(k)


def _reason(task: Task, span: tuple[int, int], open_days: list[int] | None, max_hours: float | None) -> str:
    if task.earliest > task.latest:
        return REASON_WINDOW
    if span[0] > span[1]:
        return REASON_NO_DAY
    if max_hours is not None and task.duration_hours > max_hours:
        return REASON_TOO_LONG
    if open_days is not None and open_days[span[1] + 1] == open_days[span[0]]:
        return REASON_NO_TEAM
    return ""
