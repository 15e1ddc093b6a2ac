"""Inspector teams of a draw (part of the pure draw module; no Django). See draw.py's docstring.

Seats: a team has at least ``min_team`` members and at least one from each department of the draw.
With one department all seats are its; with several, one seat each, and any seats still missing to
reach ``min_team`` go to the departments in order. A day is the slot: nobody serves two teams on
one day (this draw's teams, or another draw's, passed in as ``busy``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from qijian.sampling.draw import DrawError, DrawInput


def seats(departments: tuple[int, ...], min_team: int) -> list[tuple[int, int]]:
    """(department, number of seats) in department order."""
    if not departments:
        raise DrawError("抽取未指定执法部门。")
    if min_team < 1:
        raise DrawError("每组执法人员人数应至少为1。")
    counts = dict.fromkeys(departments, 1)
    for n in range(max(0, min_team - len(departments))):
        counts[departments[n % len(departments)]] += 1
    return list(counts.items())


def check_people(data: DrawInput) -> None:
    """Refuse unknown or duplicate people before anything is drawn."""
    ids = [p.id for p in data.inspectors]
    if len(set(ids)) != len(ids):
        raise DrawError("可选派执法人员名单中有重复人员。")
    if len(set(data.departments)) != len(data.departments):
        raise DrawError("抽取的执法部门有重复。")
    known = set(ids)
    unknown = sorted({person for person, _ in data.conflicts if person not in known})
    if unknown:
        listed = "、".join(str(p) for p in unknown[:5])
        raise DrawError(f"回避名单中的执法人员(编号 {listed})不在可选派人员名单中,请核对回避名单。")
    for department, need in seats(data.departments, data.min_team):
        have = sum(1 for p in data.inspectors if p.department_id == department)
        if have < need:
            raise DrawError(f"部门(编号 {department})可选派的执法人员只有 {have} 名,每组至少需要 {need} 名。")


@dataclass
class _Department:
    id: int
    need: int
    column: int
    people: np.ndarray
    loads: np.ndarray


def _departments(data: DrawInput) -> list[_Department]:
    found, column = [], 0
    for department, need in seats(data.departments, data.min_team):
        people = np.asarray([p.id for p in data.inspectors if p.department_id == department], dtype=np.int64)
        found.append(_Department(department, need, column, people, np.zeros(people.size, dtype=np.int64)))
        column += need
    return found


def assign_teams(data: DrawInput, bits: np.random.PCG64, enterprises: np.ndarray, days: np.ndarray) -> np.ndarray:
    """The (visits × seats) matrix of inspector ids."""
    departments = _departments(data)
    width = sum(d.need for d in departments)
    teams = np.zeros((enterprises.size, width), dtype=np.int64)
    busy: dict[int, set[int]] = defaultdict(set)
    for person, day in data.busy:
        busy[day].add(person)
    conflicts: dict[int, set[int]] = defaultdict(set)
    for person, enterprise in data.conflicts:
        conflicts[enterprise].add(person)
    for day in data.days:
        visits = np.flatnonzero(days == day)
        if visits.size:
            _staff_day(day, visits, departments, teams, bits, busy[day], conflicts, enterprises)
    return teams


def _staff_day(
    day: int,
    visits: np.ndarray,
    departments: list[_Department],
    teams: np.ndarray,
    bits: np.random.PCG64,
    busy: set[int],
    conflicts: dict[int, set[int]],
    enterprises: np.ndarray,
) -> None:
    for dep in departments:
        keys = bits.random_raw(dep.people.size)
        free = np.flatnonzero(~np.isin(dep.people, np.fromiter(busy, dtype=np.int64, count=len(busy))))
        wanted = dep.need * visits.size
        if free.size < wanted:
            raise DrawError(
                f"{_date(day)} 部门(编号 {dep.id})未被占用的执法人员只有 {free.size} 名,"
                f"当天 {visits.size} 户企业需要 {wanted} 名;请减少抽取户数、延长检查时间或增加执法人员。"
            )
        ranked = free[np.lexsort((keys[free], dep.loads[free]))]
        taken, spare = ranked[:wanted], list(ranked[wanted:])
        dep.loads[taken] += 1
        teams[visits, dep.column : dep.column + dep.need] = dep.people[taken].reshape(visits.size, dep.need)
        _resolve_conflicts(day, visits, dep, teams, spare, conflicts, enterprises)


def _resolve_conflicts(
    day: int,
    visits: np.ndarray,
    dep: _Department,
    teams: np.ndarray,
    spare: list[int],
    conflicts: dict[int, set[int]],
    enterprises: np.ndarray,
) -> None:
    if not conflicts:
        return
    columns = range(dep.column, dep.column + dep.need)
    for v in visits.tolist():
        avoid = conflicts.get(int(enterprises[v]))
        for c in columns:
            if avoid and int(teams[v, c]) in avoid:
                _replace(day, v, c, visits, dep, teams, spare, conflicts, enterprises)


def _replace(
    day: int,
    v: int,
    c: int,
    visits: np.ndarray,
    dep: _Department,
    teams: np.ndarray,
    spare: list[int],
    conflicts: dict[int, set[int]],
    enterprises: np.ndarray,
) -> None:
    """Replace a conflicted member: by a free spare (least loaded first), else by a swap with another team."""
    enterprise, person = int(enterprises[v]), int(teams[v, c])
    position = {int(p): n for n, p in enumerate(dep.people)}
    for n, s in enumerate(spare):
        candidate = int(dep.people[s])
        if candidate not in conflicts.get(enterprise, ()):
            teams[v, c] = candidate
            dep.loads[s] += 1
            dep.loads[position[person]] -= 1
            spare[n] = position[person]
            return
    for u in visits.tolist():
        for col in range(dep.column, dep.column + dep.need):
            other = int(teams[u, col])
            if (
                u != v
                and other not in conflicts.get(enterprise, ())
                and person not in conflicts.get(int(enterprises[u]), ())
            ):
                teams[v, c], teams[u, col] = other, person
                return
    raise DrawError(f"因回避规定,{_date(day)} 无法为企业(编号 {enterprise})组成检查组,请增加执法人员。")


def _date(day: int) -> str:
    return dt.date.fromordinal(day).isoformat()
