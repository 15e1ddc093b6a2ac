"""Reading a draw's inputs from the database: the pool, the inspectors, conflicts and busy days.

The pool is filtered in SQL with the same rule as ``draw.Scope`` (tests check the two agree):
operating enterprises every entry's item applies to (industry prefixes, types), in the draw's
townships and industry, minus those already drawn this year for one of the items and those in an
active joint filing that overlaps the window. On PostgreSQL the ids and grades come back through one
binary COPY read straight into numpy (a million rows in a fraction of a second).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Q, QuerySet

from qijian.catalog.choices import InspectionMode
from qijian.core import calendar
from qijian.enterprises.choices import EnterpriseStatus
from qijian.enterprises.models import Enterprise, Industry
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from qijian.org.choices import InspectorStatus
from qijian.org.models import Conflict, Inspector
from qijian.plans.choices import PlanStatus
from qijian.plans.models import PlanEntry
from qijian.policy.loader import figure
from qijian.sampling.choices import DrawStatus
from qijian.sampling.draw import GRADES, Clause, DrawInput, InspectorIn, Pool, Scope
from qijian.sampling.models import Draw, DrawResult, TeamMember


class SamplingError(ValueError):
    """A draw action that is not allowed; the message is for the user (Chinese). Nothing is written."""


@dataclass(frozen=True)
class Request:
    """What the coordinator asked for (the form / API body / command options)."""

    entries: tuple[PlanEntry, ...]
    count: int | None = None
    base_ratio: str | None = None
    townships: tuple[int, ...] = ()
    industry_prefix: str = ""


def check_entries(entries: Sequence[PlanEntry]) -> None:
    if not entries:
        raise SamplingError("请选择至少一个双随机计划条目。")
    for entry in entries:
        if entry.mode != InspectionMode.RANDOM:
            raise SamplingError(f"“{entry.item.name}”不是双随机事项,不能随机抽取。")
        if entry.plan.status != PlanStatus.APPROVED:
            raise SamplingError(f"“{entry.item.name}”所在的计划尚未审定,不能抽取。")
        if Draw.objects.filter(entries=entry).exists():
            raise SamplingError(f"“{entry.item.name}”已有抽取记录,不能重复抽取。")
    if len({e.plan.year for e in entries}) > 1:
        raise SamplingError("联合抽取的计划条目应属于同一年度。")


def window(entries: Sequence[PlanEntry]) -> tuple[dt.date, dt.date]:
    start, end = max(e.window_start for e in entries), min(e.window_end for e in entries)
    if start > end:
        raise SamplingError("所选计划条目的检查时间没有重叠,不能联合抽取。")
    return start, end


def working_days(start: dt.date, end: dt.date) -> tuple[int, ...]:
    """Working days of the window from tomorrow on (a draw never books a day already begun)."""
    first = max(start, calendar.local_today() + dt.timedelta(days=1))
    span = range((end - first).days + 1)
    days = tuple(d.toordinal() for n in span if calendar.is_working_day(d := first + dt.timedelta(days=n)))
    if not days:
        raise SamplingError("计划检查时间内已没有可安排的工作日,不能抽取。")
    return days


def departments(entries: Sequence[PlanEntry]) -> tuple[int, ...]:
    found = {e.item.version.department_id for e in entries}
    for entry in entries:
        if entry.joint:
            found |= {p.pk for p in entry.partners.all()}
    return tuple(sorted(found))


def scope(request: Request) -> Scope:
    clauses = tuple(
        Clause(tuple(sorted(i.code for i in e.item.industries.all())), tuple(sorted(e.item.enterprise_types)))
        for e in request.entries
    )
    if request.industry_prefix:
        clauses += (Clause((request.industry_prefix,), ()),)
    return Scope(clauses, tuple(sorted(request.townships)))


def _clause_q(clause: Clause) -> Q:
    """The clause in SQL; industry prefixes are resolved to ids first (the industry table is small), so
    the registry is filtered without a join."""
    q = Q(type__in=clause.types) if clause.types else Q()
    if clause.prefixes:
        either = Q()
        for prefix in clause.prefixes:
            either |= Q(code__startswith=prefix)
        q &= Q(industry_id__in=list(Industry.objects.filter(either).values_list("id", flat=True)))
    return q


def pool_queryset(request: Request) -> QuerySet[Enterprise]:
    """The enterprises the scope admits (before exclusions)."""
    rule = scope(request)
    q = Q(status=EnterpriseStatus.OPERATING)
    for clause in rule.clauses:
        q &= _clause_q(clause)
    if rule.townships:
        q &= Q(township_id__in=rule.townships)
    return Enterprise.objects.filter(q)


def excluded_ids(request: Request, year: int, start: dt.date, end: dt.date) -> set[int]:
    """Already drawn this year for one of the items; in an active joint filing overlapping the window.

    Read as two small id lists (not a NOT IN over the registry: that plan degrades badly at a million rows).
    """
    codes = [e.item.code for e in request.entries]
    drawn = DrawResult.objects.filter(
        draw__year=year,
        draw__status__in=(DrawStatus.DRAWN, DrawStatus.PUBLISHED),
        draw__entries__item__code__in=codes,
    ).values_list("enterprise_id", flat=True)
    begins, ends = calendar.end_of_day(start) - dt.timedelta(days=1), calendar.end_of_day(end)
    joint = Filing.enterprises.through.objects.filter(
        filing__joint=True,
        filing__status=FilingStatus.ACTIVE,
        filing__window_start__lte=ends,
        filing__window_end__gt=begins,
    ).values_list("enterprise_id", flat=True)
    return set(drawn) | set(joint)


def without(pool: Pool, excluded: set[int]) -> Pool:
    if not excluded:
        return pool
    keep = ~np.isin(pool.ids, np.fromiter(excluded, dtype=np.int64, count=len(excluded)))
    return Pool(pool.ids[keep], pool.grades[keep])


def load_pool(queryset: QuerySet[Enterprise]) -> Pool:
    if connection.vendor == "postgresql":
        return _aggregate_pool(queryset.order_by().values_list("id", "grade"))
    rows = queryset.order_by("id").values_list("id", "grade")
    pairs = list(rows.iterator(chunk_size=20_000))
    ids = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
    codes = {g: n for n, g in enumerate(GRADES)}
    grades = np.fromiter((codes[p[1]] for p in pairs), dtype=np.uint8, count=len(pairs))
    return Pool(ids, grades)


def _aggregate_pool(rows: QuerySet[Any, Any]) -> Pool:
    """One row back: every id as 8 big-endian bytes and every grade letter, aggregated by the server and
    read straight into numpy (a million rows in well under a second; a per-row fetch takes seconds)."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        # ``sql`` is Django's own compiled query with its parameters kept apart: nothing user-typed is spliced in.
        aggregate = f"SELECT string_agg(int8send(q.id), ''::bytea), string_agg(q.grade, '') FROM ({sql}) q"  # noqa: S608
        cursor.execute(aggregate, params)
        packed, letters = cursor.fetchone()
    if packed is None:
        return Pool(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint8))
    ids = np.frombuffer(bytes(packed), dtype=">i8").astype(np.int64)
    grades = np.frombuffer(letters.encode("ascii"), dtype=np.uint8) - np.uint8(ord("A"))
    order = np.argsort(ids, kind="stable")
    return Pool(ids[order], grades[order])


def inspectors(department_ids: Sequence[int], first: dt.date, last: dt.date) -> list[InspectorIn]:
    """Active inspectors of the draw's departments certified over the whole window, by id."""
    rows = Inspector.objects.filter(
        department_id__in=department_ids,
        status=InspectorStatus.ACTIVE,
        certificate_valid_from__lte=first,
        certificate_valid_until__gte=last,
    ).order_by("id")
    return [InspectorIn(pk, department) for pk, department in rows.values_list("id", "department_id")]


def build_input(request: Request, year: int, start: dt.date, end: dt.date) -> DrawInput:
    days = working_days(start, end)
    deps = departments(request.entries)
    first, last = dt.date.fromordinal(days[0]), dt.date.fromordinal(days[-1])
    people = inspectors(deps, first, last)
    ids = [p.id for p in people]
    conflicts = Conflict.objects.filter(inspector_id__in=ids).values_list("inspector_id", "enterprise_id")
    busy = TeamMember.objects.filter(inspector_id__in=ids, visit_on__range=(first, last))
    return DrawInput(
        pool=without(load_pool(pool_queryset(request)), excluded_ids(request, year, start, end)),
        inspectors=tuple(people),
        departments=deps,
        weights={g: str(figure(f"grading.sampling_ratio.{g}")) for g in GRADES},
        days=days,
        count=request.count,
        base_ratio=request.base_ratio,
        min_team=int(figure("inspectors.min_on_site")),
        conflicts=frozenset(conflicts),
        busy=frozenset((i, d.toordinal()) for i, d in busy.values_list("inspector_id", "visit_on")),
    )
