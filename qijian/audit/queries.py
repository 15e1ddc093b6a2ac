"""Reading the audit trail: timelines, the auditor's search, and the verifier's streaming walk."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet

from qijian.audit.chain import CHAINED_FIELDS, utc_text
from qijian.audit.keys import key_ring
from qijian.audit.models import AuditCheckpoint, AuditEvent
from qijian.audit.verify import Report, verify_chain

BATCH = 5000
_ROW_FIELDS = ("id", "prev_hash", "hash", *CHAINED_FIELDS)


def events_for(target: models.Model, *, limit: int = 50) -> QuerySet[AuditEvent]:
    """The newest events about one object: the activity timeline of a detail page."""
    qs = AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    return qs.select_related("actor").order_by("-seq")[:limit]


def iter_chain_rows(batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """Every event as a plain dict in append order (by id), one keyset batch at a time."""
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id").values(*_ROW_FIELDS)[:batch])
        for row in rows:
            row["occurred_at"] = utc_text(row["occurred_at"])
            yield row
        if len(rows) < batch:
            return
        last_id = rows[-1]["id"]


def checkpoint_dicts() -> list[dict[str, Any]]:
    return [c.signed_fields() for c in AuditCheckpoint.objects.order_by("up_to_seq", "id")]


def verify_stored_chain(batch: int = BATCH) -> Report:
    checkpoints = checkpoint_dicts()
    keys = key_ring({str(c["key_id"]) for c in checkpoints})
    return verify_chain(iter_chain_rows(batch), checkpoints, keys)


def export_lines(checkpoints: QuerySet[AuditCheckpoint]) -> Iterator[str]:
    """The checkpoints as JSON lines (format in docs/audit.md): an outside party needs only the key."""
    for checkpoint in checkpoints.order_by("up_to_seq", "id").iterator():
        yield json.dumps(checkpoint.signed_fields(), ensure_ascii=False, sort_keys=True) + "\n"


# --- The auditor's search ------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilter:
    action: str = ""
    actor: str = ""
    target: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def search_events(qs: QuerySet[AuditEvent], flt: EventFilter) -> QuerySet[AuditEvent]:
    if flt.action:
        qs = qs.filter(action__startswith=flt.action)
    if flt.actor:
        qs = qs.filter(actor_repr=flt.actor)
    if flt.target:
        target_q = models.Q(target_id=flt.target) | models.Q(target_repr__contains=flt.target)
        qs = qs.filter(target_q | models.Q(target_type=flt.target))
    if flt.since:
        qs = qs.filter(occurred_at__gte=flt.since)
    if flt.until:
        qs = qs.filter(occurred_at__lt=flt.until)
    return qs


@dataclass(frozen=True)
class EventPage:
    events: list[AuditEvent]
    older: int | None
    newer: int | None


def event_page(qs: QuerySet[AuditEvent], *, before: int | None, after: int | None, size: int = 50) -> EventPage:
    """Newest first, by seq, in one query: ``before``/``after`` are the seq boundaries of the links."""
    if after is not None:
        rows = list(qs.filter(seq__gt=after).order_by("seq")[: size + 1])
        more_newer = len(rows) > size
        events = rows[:size][::-1]
        older = events[-1].seq if events else None
        return EventPage(events, older=older, newer=events[0].seq if more_newer and events else None)
    rows = list((qs if before is None else qs.filter(seq__lt=before)).order_by("-seq")[: size + 1])
    events = rows[:size]
    older = events[-1].seq if len(rows) > size else None
    return EventPage(events, older=older, newer=events[0].seq if before is not None and events else None)
