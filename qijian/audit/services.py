"""Writing audit events. Every service calls ``record_event`` inside its own transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, models, transaction

from qijian.audit.chain import GENESIS, link_hash
from qijian.audit.models import AuditEvent
from qijian.core.context import current_request_id

# Any fixed 64-bit number: the key of the PostgreSQL advisory lock that serialises the chain.
_CHAIN_LOCK_KEY = 0x51_4A_41_55_44_49_54


def _lock_chain() -> None:
    """Serialise chain writers so two transactions never link to the same predecessor."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite: settings open every transaction IMMEDIATE, so writers are already serialised.


def _target_fields(target: models.Model | None, target_type: str, target_id: str) -> tuple[str, str, str]:
    if target is None:
        return target_type, target_id, target_id
    return target._meta.label_lower, str(target.pk), str(target)[:255]


def record_event(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction."""
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        ttype, tid, trepr = _target_fields(target, target_type, target_id)
        event = AuditEvent(
            seq=(last["seq"] + 1) if last else 1,
            occurred_at=dt.datetime.now(dt.UTC),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_repr=(getattr(actor, "username", "") or "system")[:150],
            action=action,
            target_type=ttype,
            target_id=tid,
            target_repr=trepr,
            before=before,
            after=after,
            request_id=current_request_id(),
            prev_hash=last["hash"] if last else GENESIS,
        )
        event.hash = link_hash(event.prev_hash, event.chained_fields())
        event.save(force_insert=True)
        return event


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe picture of a model instance for an event's before/after."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(instance, name)
        out[name] = value if value is None or isinstance(value, bool | int | str) else str(value)
    return out
