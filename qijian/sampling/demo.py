"""Demo draw: the 2026 annual random plan's first entry (县市场监管局's item), prepared, committed,
drawn and published through the services, "as of" ten days before its window opens (the plans demo's
``as_of``), with the step times moved back to that day. Idempotent: an entry already drawn is left alone.
Runs after the plans demo (and after grading, so the pool carries the demo's grades).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from qijian.plans.choices import PlanKind, PlanStatus
from qijian.plans.demo import ANNUAL_YEAR, _at, _user, as_of
from qijian.plans.models import PlanEntry
from qijian.sampling import services
from qijian.sampling.models import Draw


def _entry() -> PlanEntry | None:
    entries = PlanEntry.objects.filter(
        plan__kind=PlanKind.ANNUAL_RANDOM, plan__year=ANNUAL_YEAR, plan__status=PlanStatus.APPROVED, mode="random"
    ).select_related("plan", "item__version")
    return entries.order_by("window_start", "id").first()


def load_demo() -> None:
    entry = _entry()
    if entry is None or Draw.objects.filter(entries=entry).exists():
        return
    day = entry.window_start - dt.timedelta(days=10)
    coordinator = _user("random")
    with as_of(day):
        draw = _prepare(coordinator, entry)
        draw = services.commit_seed(actor=coordinator, draw=draw)
        draw = services.execute_draw(actor=coordinator, draw=draw)
        draw = services.publish_results(actor=coordinator, draw=draw)
    _backdate(draw, day)


# A small demo county (``load_demo --enterprises 60``) has fewer enterprises than the entry expects:
# it is drawn by a base ratio instead of the entry's count.
SMALL_COUNTY_RATIO = Decimal("0.1")


def _prepare(coordinator: Any, entry: PlanEntry) -> Draw:
    try:
        return services.prepare_draw(actor=coordinator, entries=[entry])
    except services.SamplingError:
        return services.prepare_draw(actor=coordinator, entries=[entry], base_ratio=SMALL_COUNTY_RATIO)


def _backdate(draw: Any, day: dt.date) -> None:
    Draw.objects.filter(pk=draw.pk).update(
        committed_at=_at(day, 9),
        drawn_at=_at(day + dt.timedelta(days=1), 10),
        published_at=_at(day + dt.timedelta(days=1), 15),
    )
