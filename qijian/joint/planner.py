"""The joint-visit planner (综合查一次, mechanisms 2, 8 and 9): a pure module, no ORM.

Input: every task of a quarter — (enterprise, department, item, window of days, duration, inspectors
needed) — and the constraints: each department's daily team capacity, the maximum number of
departments in one visit, and pairs of items that must not be combined. Output: joint visits (one
enterprise, one day, several tasks), the tasks that cannot be planned with the reason, the exact
lower bound on the number of visits and the visits saved against planning each task alone.

CONTRACT (used by qijian/joint/services and the benchmark; extend, do not rename):
``plan_visits(tasks, constraints) -> PlanResult``. Deterministic: the same input gives the same output.
This first version is the uncapacitated greedy (interval stabbing per enterprise); capacities, the
department limit and incompatible items are honoured by the full planner.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ALGORITHM_VERSION = "qijian-joint/0"


@dataclass(frozen=True)
class Task:
    """One department's inspection of one enterprise, to be done on one day inside [earliest, latest]."""

    id: Hashable
    enterprise: int
    department: int
    item: str  # the catalog item code
    earliest: dt.date
    latest: dt.date
    duration_hours: float = 2.0
    inspectors: int = 2


@dataclass(frozen=True)
class Constraints:
    # (department, day) -> teams the department can send that day; a department absent from
    # ``default_capacity`` and ``capacity`` has no limit.
    capacity: Mapping[tuple[int, dt.date], int] = field(default_factory=dict)
    default_capacity: Mapping[int, int] = field(default_factory=dict)  # department -> teams per day
    max_departments: int | None = None  # per visit; None: no limit
    incompatible: frozenset[frozenset[str]] = frozenset()  # item-code pairs that must not share a visit
    max_hours: float | None = None  # length of one visit day; None: no limit


@dataclass(frozen=True)
class Visit:
    enterprise: int
    day: dt.date
    tasks: tuple[Hashable, ...]  # task ids
    departments: tuple[int, ...]


@dataclass(frozen=True)
class Unplannable:
    task: Hashable
    reason: str  # Chinese, shown to users


@dataclass(frozen=True)
class PlanResult:
    visits: tuple[Visit, ...]
    unplannable: tuple[Unplannable, ...]
    lower_bound: int  # sum over enterprises of the least number of days meeting every task's window
    tasks_planned: int

    @property
    def saved(self) -> int:
        """Visits saved against planning each planned task alone."""
        return self.tasks_planned - len(self.visits)


def plan_visits(tasks: Sequence[Task], constraints: Constraints | None = None) -> PlanResult:
    constraints = constraints or Constraints()
    bad = [Unplannable(t.id, "检查时间窗口无效:开始日期晚于结束日期") for t in tasks if t.earliest > t.latest]
    good = [t for t in tasks if t.earliest <= t.latest]
    visits: list[Visit] = []
    bound = 0
    for enterprise, group in sorted(_by_enterprise(good).items()):
        days = stabbing_days(group)
        bound += len(days)
        visits += _assign(enterprise, group, days)
    return PlanResult(tuple(visits), tuple(bad), bound, len(good))


def _by_enterprise(tasks: Iterable[Task]) -> dict[int, list[Task]]:
    groups: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        groups[task.enterprise].append(task)
    return groups


def stabbing_days(tasks: Sequence[Task]) -> list[dt.date]:
    """The least set of days such that every task's window holds one (greedy by window end: optimal)."""
    days: list[dt.date] = []
    for task in sorted(tasks, key=lambda t: (t.latest, t.earliest)):
        if not days or days[-1] < task.earliest:
            days.append(task.latest)
    return days


def _assign(enterprise: int, tasks: Sequence[Task], days: Sequence[dt.date]) -> list[Visit]:
    chosen: dict[dt.date, list[Task]] = defaultdict(list)
    for task in tasks:
        day = next(d for d in days if task.earliest <= d <= task.latest)
        chosen[day].append(task)
    return [
        Visit(enterprise, day, tuple(t.id for t in group), tuple(sorted({t.department for t in group})))
        for day, group in sorted(chosen.items())
    ]
