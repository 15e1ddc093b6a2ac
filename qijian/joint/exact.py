"""An exact CP-SAT model of the joint-visit problem (OR-Tools), to measure the planner against.

Used by tests and the benchmark only, on small and medium instances. Same input and the same meaning
as ``plan_visits`` (it shares the planner's preparation: days, windows, capacities, tasks set aside):
a task goes to one slot (enterprise, day, k) or stays unplanned; a slot used is a visit; a visit
takes one team of each of its departments that day. Objective, lexicographic: fewest unplanned tasks,
then fewest visits (weight n + 1 on an unplanned task). k > 0 slots (two visits at one enterprise on
one day) exist only when a department limit, incompatible items or a visit-day length may force them.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from qijian.joint.planner_pack import Bin, Rules, by_enterprise, stab_count
from qijian.joint.planner_prep import REASON_FULL, Problem, prepare
from qijian.joint.planner_types import Constraints, PlanResult, Task, Unplannable, Visit

Slot = tuple[int, int, int]  # enterprise, day index, k


@dataclass(frozen=True)
class ExactResult:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    visits: int  # of the best solution found (-1: none)
    unplanned: int
    bound: float  # the solver's lower bound on the objective
    seconds: float
    plan: PlanResult | None  # the solution, to check with planner_check.violations

    @property
    def optimal(self) -> bool:
        return self.status == "OPTIMAL"


class _Model:
    def __init__(self, problem: Problem) -> None:
        self.problem, self.model = problem, cp_model.CpModel()
        c = problem.constraints
        self.multi = c.max_departments is not None or bool(c.incompatible) or c.max_hours is not None
        self.x: dict[tuple[int, Slot], cp_model.IntVar] = {}
        self.by_slot: dict[Slot, list[int]] = defaultdict(list)
        self.unplanned = {k: self.model.new_bool_var(f"u{k}") for k in problem.good}

    def days_of(self, k: int) -> list[int]:
        p = self.problem
        row = p.rem.get(p.tasks[k].department)
        return [d for d in range(p.lo[k], p.hi[k] + 1) if row is None or row[d] > 0]

    def assign(self) -> None:
        slots_per = self._slot_counts()
        for k in self.problem.good:
            enterprise, chosen = self.problem.tasks[k].enterprise, []
            for d in self.days_of(k):
                for j in range(slots_per[enterprise, d]):
                    var = self.x[k, (enterprise, d, j)] = self.model.new_bool_var(f"x{k}_{d}_{j}")
                    self.by_slot[enterprise, d, j].append(k)
                    chosen.append(var)
            self.model.add(sum(chosen) + self.unplanned[k] == 1)

    def _slot_counts(self) -> dict[tuple[int, int], int]:
        count: dict[tuple[int, int], int] = defaultdict(int)
        for k in self.problem.good:
            for d in self.days_of(k):
                count[self.problem.tasks[k].enterprise, d] += 1
        return {key: (n if self.multi else 1) for key, n in count.items()}

    def visits(self) -> dict[Slot, cp_model.IntVar]:
        used = {}
        for slot, ks in self.by_slot.items():
            used[slot] = y = self.model.new_bool_var(f"y{slot}")
            for k in ks:
                self.model.add_implication(self.x[k, slot], y)
        for (e, d, j), y in used.items():
            if j > 0:
                self.model.add(used[e, d, j - 1] >= y)
        return used

    def stabbing_cuts(self, used: dict[Slot, cp_model.IntVar]) -> None:
        """Valid cuts that CP-SAT cannot see alone: at each enterprise, visits + unplanned ≥ its stabbing number."""
        p = self.problem
        for group in by_enterprise(p):
            enterprise = p.tasks[group[0]].enterprise
            visits = [var for slot, var in used.items() if slot[0] == enterprise]
            self.model.add(sum(visits) + sum(self.unplanned[k] for k in group) >= stab_count(group, p.lo, p.hi))

    def departments(self) -> dict[tuple[Slot, int], cp_model.IntVar]:
        z = {}
        for slot, ks in self.by_slot.items():
            for k in ks:
                dept = self.problem.tasks[k].department
                if (slot, dept) not in z:
                    z[slot, dept] = self.model.new_bool_var(f"z{slot}_{dept}")
                self.model.add_implication(self.x[k, slot], z[slot, dept])
        return z

    def limits(self, z: dict[tuple[Slot, int], cp_model.IntVar]) -> None:
        team_use: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        per_slot: dict[Slot, list[cp_model.IntVar]] = defaultdict(list)
        for (slot, dept), var in z.items():
            per_slot[slot].append(var)
            if dept in self.problem.rem:
                team_use[dept, slot[1]].append(var)
        for (dept, d), vars_ in team_use.items():
            self.model.add(sum(vars_) <= self.problem.rem[dept][d])
        limit = self.problem.constraints.max_departments
        if limit is not None:
            for vars_ in per_slot.values():
                self.model.add(sum(vars_) <= limit)

    def content(self) -> None:
        rules, c = Rules(self.problem.constraints), self.problem.constraints
        for slot, ks in self.by_slot.items():
            tasks = [self.problem.tasks[k] for k in ks]
            for a in range(len(ks)):
                for b in range(a + 1, len(ks)):
                    if tasks[b].item in rules.incompatible.get(tasks[a].item, ()):
                        self.model.add(self.x[ks[a], slot] + self.x[ks[b], slot] <= 1)
            if c.max_hours is not None:
                self._hours(slot, ks, c.max_hours)

    def hint(self, plan: PlanResult, used: dict[Slot, cp_model.IntVar]) -> None:
        """Hint every variable from ``plan`` (a complete hint: the solver starts from that solution)."""
        chosen = self._slots_of(plan)
        for (k, slot), var in self.x.items():
            self.model.add_hint(var, chosen.get(k) == slot)
        for k, var in self.unplanned.items():
            self.model.add_hint(var, k not in chosen)
        for slot, var in used.items():
            self.model.add_hint(var, slot in chosen.values())

    def _slots_of(self, plan: PlanResult) -> dict[int, Slot]:
        p, seen = self.problem, Counter[tuple[int, int]]()
        index = {t.id: k for k, t in enumerate(p.tasks)}
        day_index = {d: n for n, d in enumerate(p.days)}
        chosen = {}
        for visit in plan.visits:
            e, d = visit.enterprise, day_index[visit.day]
            j, seen[e, d] = seen[e, d], seen[e, d] + 1
            for task_id in visit.tasks:
                chosen[index[task_id]] = (e, d, j)
        return chosen

    def _hours(self, slot: Slot, ks: list[int], max_hours: float) -> None:
        per_dept: dict[int, list[int]] = defaultdict(list)
        for k in ks:
            per_dept[self.problem.tasks[k].department].append(k)
        for group in per_dept.values():
            terms = [round(self.problem.tasks[k].duration_hours * 100) * self.x[k, slot] for k in group]
            self.model.add(sum(terms) <= round(max_hours * 100))


def solve_exact(
    tasks: Sequence[Task],
    constraints: Constraints | None = None,
    *,
    seconds: float = 10.0,
    workers: int = 1,
    hint: PlanResult | None = None,
    work: float | None = None,
) -> ExactResult:
    """The optimum (or the best found within ``seconds``) of the instance, with the solver's status.

    ``hint``: a plan (the planner's) to start the search from; it changes the time, never the optimum.
    ``work``: a limit in CP-SAT's deterministic time instead (the same answer however busy the machine).
    """
    started = time.perf_counter()
    problem = prepare(tasks, constraints or Constraints())
    m = _Model(problem)
    m.assign()
    used = m.visits()
    m.stabbing_cuts(used)
    z = m.departments()
    m.limits(z)
    m.content()
    weight = len(problem.good) + 1
    m.model.minimize(weight * sum(m.unplanned.values()) + sum(used.values()))
    if hint is not None:
        m.hint(hint, used)
        slots = m._slots_of(hint)
        for (slot, dept), var in z.items():
            m.model.add_hint(var, any(s == slot and m.problem.tasks[k].department == dept for k, s in slots.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    if work is not None:
        solver.parameters.max_deterministic_time = work
    solver.parameters.num_workers = workers
    status = solver.status_name(solver.solve(m.model))
    return _answer(m, solver, status, time.perf_counter() - started)


def _answer(m: _Model, solver: cp_model.CpSolver, status: str, seconds: float) -> ExactResult:
    if status not in ("OPTIMAL", "FEASIBLE"):
        return ExactResult(status, -1, -1, solver.best_objective_bound, seconds, None)
    plan = _plan(m, solver)
    return ExactResult(status, len(plan.visits), len(plan.unplannable), solver.best_objective_bound, seconds, plan)


def _plan(m: _Model, solver: cp_model.CpSolver) -> PlanResult:
    p = m.problem
    slots: dict[Slot, Bin] = {}
    for (k, slot), var in m.x.items():
        if solver.boolean_value(var):
            b = slots.setdefault(slot, Bin(slot[0], slot[1], slot[1]))
            b.add(k, p.tasks[k], slot[1], slot[1])
    visits = tuple(
        Visit(e, p.days[d], tuple(p.tasks[k].id for k in sorted(b.tasks)), tuple(sorted(b.hours)))
        for (e, d, _), b in sorted(slots.items())
    )
    left = [(k, REASON_FULL) for k, u in m.unplanned.items() if solver.boolean_value(u)]
    aside = sorted([*p.set_aside, *left])
    unplannable = tuple(Unplannable(p.tasks[k].id, reason) for k, reason in aside)
    return PlanResult(visits, unplannable, 0, len(p.tasks) - len(unplannable))
