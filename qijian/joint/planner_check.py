"""An independent check of a plan against its input: what tests and the benchmark assert (no ORM).

``violations`` returns, in English, every way a result breaks the contract: a task lost, doubled or
unknown; a visit mixing enterprises, on a day outside a task's window or not allowed, with wrong
departments, too many departments, incompatible items or too long a day; a department over its
teams on a day. An empty list means the plan is sound.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence

from qijian.joint.planner_types import Constraints, PlanResult, Task, Visit


def violations(tasks: Sequence[Task], constraints: Constraints, result: PlanResult) -> list[str]:
    by_id = {t.id: t for t in tasks}
    found = _coverage(by_id, result)
    for visit in result.visits:
        found += _visit_faults(visit, [by_id[k] for k in visit.tasks if k in by_id], constraints)
    return found + _capacity_faults(result.visits, constraints)


def _coverage(by_id: dict[Hashable, Task], result: PlanResult) -> list[str]:
    seen = Counter(k for v in result.visits for k in v.tasks) + Counter(u.task for u in result.unplannable)
    found = [f"task {k!r} appears {n} times" for k, n in seen.items() if n != 1]
    found += [f"task {k!r} is missing" for k in by_id if k not in seen]
    found += [f"unknown task {k!r}" for k in seen if k not in by_id]
    if result.tasks_planned != sum(len(v.tasks) for v in result.visits):
        found.append("tasks_planned does not match the visits")
    return found


def _visit_faults(visit: Visit, tasks: list[Task], constraints: Constraints) -> list[str]:
    name = f"visit {visit.enterprise}@{visit.day}"
    found = [f"{name}: task {t.id!r} of another enterprise" for t in tasks if t.enterprise != visit.enterprise]
    found += [f"{name}: outside the window of {t.id!r}" for t in tasks if not t.earliest <= visit.day <= t.latest]
    if constraints.allowed_days is not None and visit.day not in constraints.allowed_days:
        found.append(f"{name}: day not allowed")
    if tuple(sorted({t.department for t in tasks})) != tuple(visit.departments):
        found.append(f"{name}: departments do not match its tasks")
    if constraints.max_departments is not None and len(visit.departments) > constraints.max_departments:
        found.append(f"{name}: too many departments")
    items = Counter(t.item for t in tasks)
    for pair in constraints.incompatible:
        if all(items[i] >= (2 if len(pair) == 1 else 1) for i in pair):
            found.append(f"{name}: incompatible items {sorted(pair)}")
    return found + _hour_faults(name, tasks, constraints.max_hours)


def _hour_faults(name: str, tasks: list[Task], max_hours: float | None) -> list[str]:
    hours: dict[int, float] = defaultdict(float)
    for t in tasks:
        hours[t.department] += t.duration_hours
    if max_hours is not None and max(hours.values(), default=0.0) > max_hours + 1e-9:
        return [f"{name}: a department works more than {max_hours} h"]
    return []


def _capacity_faults(visits: Sequence[Visit], constraints: Constraints) -> list[str]:
    used = Counter((d, v.day) for v in visits for d in v.departments)
    found = []
    for (dept, day), n in sorted(used.items()):
        cap = constraints.capacity.get((dept, day), constraints.default_capacity.get(dept))
        if cap is not None and n > cap:
            found.append(f"department {dept} uses {n} teams on {day}, has {cap}")
    return found
