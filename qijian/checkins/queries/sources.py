"""What a trace is made of: a registry of target types whose audit events belong in a trace.

Each source names an audit ``target_type`` (``<app>.<model>``, as ``record_event`` writes it), the
Chinese label of its rows, and two functions that return the objects of that type the user may see —
as ``{target_id: subject}`` — for an amendment chain (given also what the sources registered before
it found, by target type) of filings (the per-inspection trace) and for an
enterprise (the per-enterprise trace). Another app adds its events (issue 7's follow-ups, 回访) by
calling ``register_trace_source`` from its ``AppConfig.ready``; the trace queries need no change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from qijian.core.models import VIEW
from qijian.enterprises.models import Enterprise
from qijian.inspections.models import Filing
from qijian.oversight.models import Alert

Subjects = dict[str, str]  # target_id → the subject a row prints


@dataclass(frozen=True)
class TraceSource:
    target_type: str
    kind: str
    of_filings: Callable[[Any, Sequence[Filing], dict[str, Subjects]], Subjects]
    of_enterprise: Callable[[Any, Enterprise], Subjects]


_SOURCES: dict[str, TraceSource] = {}


def register_trace_source(source: TraceSource) -> None:
    """Add (or replace) the source of one target type; the order of registration is the order of lookup."""
    _SOURCES[source.target_type] = source


def trace_sources() -> list[TraceSource]:
    return list(_SOURCES.values())


def kind_label(target_type: str) -> str:
    source = _SOURCES.get(target_type)
    return source.kind if source else target_type


# --- the built-in sources: filings, check-ins, alerts ------------------------------------------------


def _filings_of_chain(user: Any, chain: Sequence[Filing], found: dict[str, Subjects]) -> Subjects:
    return {str(f.pk): f.number for f in chain}


def _filings_of_enterprise(user: Any, enterprise: Enterprise) -> Subjects:
    rows = Filing.objects.restrict(user, VIEW).filter(enterprises=enterprise).values_list("pk", "number")
    return {str(pk): number for pk, number in rows}


def _checkin_subjects(qs: Any) -> Subjects:
    rows = qs.select_related("inspector").order_by("scanned_at", "pk")
    return {str(c.pk): f"{c.inspector.name}({c.inspector.certificate_no})" for c in rows}


def _checkins_of_chain(user: Any, chain: Sequence[Filing], found: dict[str, Subjects]) -> Subjects:
    from qijian.checkins.queries.records import visible_checkins

    return _checkin_subjects(visible_checkins(user).filter(filing__in=[f.pk for f in chain]))


def _checkins_of_enterprise(user: Any, enterprise: Enterprise) -> Subjects:
    from qijian.checkins.queries.records import visible_checkins

    return _checkin_subjects(visible_checkins(user).filter(enterprise=enterprise))


def _alerts_of_chain(user: Any, chain: Sequence[Filing], found: dict[str, Subjects]) -> Subjects:
    """Alerts (R01..R11) about the filings, or about their check-ins (keyed ``R01:checkin:<id>``).

    ``found`` holds what the sources before this one collected (the check-in source runs first)."""
    keys = [f"R01:checkin:{pk}" for pk in found.get("checkins.checkin", {})]
    about = Q(filing__in=[f.pk for f in chain]) | Q(dedup_key__in=keys)
    alerts = Alert.objects.restrict(user, VIEW).filter(about)
    return {str(pk): rule for pk, rule in alerts.values_list("pk", "rule")}


def _alerts_of_enterprise(user: Any, enterprise: Enterprise) -> Subjects:
    rows = Alert.objects.restrict(user, VIEW).filter(enterprise=enterprise).values_list("pk", "rule")
    return {str(pk): rule for pk, rule in rows}


register_trace_source(TraceSource("inspections.filing", "报备", _filings_of_chain, _filings_of_enterprise))
register_trace_source(TraceSource("checkins.checkin", "入企扫码", _checkins_of_chain, _checkins_of_enterprise))
register_trace_source(TraceSource("oversight.alert", "监督预警", _alerts_of_chain, _alerts_of_enterprise))
