"""The planner's input and output dataclasses (re-exported by ``qijian.joint.planner``: import them from there)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field


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
    # The length of one visit day. Teams of different departments work side by side, so a visit lasts
    # as long as its busiest department's tasks added up; None: no limit.
    max_hours: float | None = None
    # The days on which visits may be made (e.g. working days); None: every day.
    allowed_days: frozenset[dt.date] | None = None


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
    # Sum over enterprises of the least number of days meeting every task's window, counted over the
    # tasks that could be planned at all (window holds an allowed day with a team; task fits one day).
    lower_bound: int
    tasks_planned: int

    @property
    def saved(self) -> int:
        """Visits saved against planning each planned task alone."""
        return self.tasks_planned - len(self.visits)
