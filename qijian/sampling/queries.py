"""Reads of the sampling app: draws a user may see, entries ready for a draw, the public pages' rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from qijian.catalog.choices import InspectionMode
from qijian.checkins.choices import CheckInStatus
from qijian.checkins.models import CheckIn
from qijian.core.calendar import add_working_days, local_today
from qijian.org.models import Inspector
from qijian.plans.choices import PlanStatus
from qijian.plans.models import PlanEntry
from qijian.policy.loader import figure
from qijian.sampling.choices import DrawStatus
from qijian.sampling.models import Draw, DrawResult

PUBLIC_STATUSES = (DrawStatus.COMMITTED, DrawStatus.DRAWN, DrawStatus.PUBLISHED)


def _entries() -> Prefetch[Any]:
    return Prefetch(
        "entries", queryset=PlanEntry.objects.select_related("plan__department", "item__version__department")
    )


def draws_for(user: Any) -> QuerySet[Draw]:
    return Draw.objects.restrict(user).prefetch_related(_entries())


def visible_draw(user: Any, pk: int) -> Draw | None:
    return draws_for(user).prefetch_related("departments", "townships").filter(pk=pk).first()


def ready_entries() -> QuerySet[PlanEntry]:
    """Random entries of approved plans not yet drawn (the prepare form's choices)."""
    return (
        PlanEntry.objects.filter(mode=InspectionMode.RANDOM, plan__status=PlanStatus.APPROVED, draws__isnull=True)
        .select_related("plan__department", "item")
        .order_by("-plan__year", "window_start", "id")
    )


def results_of(draw: Draw) -> QuerySet[DrawResult]:
    people = Inspector.objects.select_related("department").order_by("department__code", "id")
    return (
        DrawResult.objects.filter(draw=draw)
        .select_related("enterprise__township")
        .prefetch_related(Prefetch("team", queryset=people))
    )


def public_draws() -> QuerySet[Draw]:
    return Draw.objects.filter(status__in=PUBLIC_STATUSES).prefetch_related(_entries())


def public_draw(pk: int) -> Draw | None:
    return public_draws().prefetch_related("departments").filter(pk=pk).first()


@dataclass(frozen=True)
class Outcome:
    """An inspection result for the public page (一公开): shown once recorded; due 20 working days after."""

    result: str
    inspected_on: dt.date | None
    due: dt.date

    @property
    def overdue(self) -> bool:
        """No result recorded although the publication deadline has passed."""
        return not self.result and self.due < local_today()


def attach_outcomes(draw: Draw, results: list[DrawResult]) -> None:
    """Set ``outcome`` on each result row: its inspection result under a filing of the draw's entries."""
    found = outcomes(draw, results)
    for r in results:
        r.outcome = found[r.pk]  # type: ignore[attr-defined]


def outcomes(draw: Draw, results: list[DrawResult]) -> dict[int, Outcome]:
    """For each drawn enterprise on this page: its result under a filing of one of the draw's entries."""
    days = int(figure("sampling.result_publish_working_days"))
    checkins = CheckIn.objects.filter(
        enterprise_id__in=[r.enterprise_id for r in results],
        filing__plan_entry__in=draw.entries.all(),
        status=CheckInStatus.CHECKED_OUT,
    ).exclude(result="")
    found = {c.enterprise_id: c for c in checkins.order_by("scanned_at")}
    out = {}
    for r in results:
        c = found.get(r.enterprise_id)
        inspected = c.scanned_at.date() if c else None
        label = c.get_result_display() if c else ""
        out[r.pk] = Outcome(label, inspected, add_working_days(inspected or r.visit_on, days))
    return out
