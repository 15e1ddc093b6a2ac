"""Writing audit events and checkpoints. Every service calls ``record_event`` inside its own transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, models, transaction

from qijian.audit import head
from qijian.audit.chain import GENESIS, link_hash, sign_checkpoint
from qijian.audit.choices import CheckpointKind, RunStatus
from qijian.audit.jsonsafe import json_safe, text_safe
from qijian.audit.keys import signing_key
from qijian.audit.models import AuditCheckpoint, AuditEvent, VerificationRun
from qijian.audit.verify import Report
from qijian.core import rawsql
from qijian.core.context import current_request_id

# Any fixed 64-bit number: the key of the PostgreSQL advisory lock that serialises the chain.
_CHAIN_LOCK_KEY = 0x51_4A_41_55_44_49_54


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def lock_chain() -> None:
    """Serialise chain writers so two transactions never link to the same predecessor.

    PostgreSQL: a transaction-scoped advisory lock, held until the caller's outermost transaction ends.
    The head is read by the NEXT statement, which under READ COMMITTED takes a fresh snapshot and so
    sees the row committed by the previous lock holder. SQLite: every transaction is BEGIN IMMEDIATE
    (settings), so writers are serialised before they read. The unique seq/prev_hash constraints are
    the last line: a stale read would fail loudly instead of forking the chain.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def locked_head() -> tuple[int, str]:
    """``lock_chain()`` then ``chain_head()``: on PostgreSQL in one round trip (qijian/audit/head.py)."""
    query = locked_head_query()
    if query is None:
        lock_chain()
        return chain_head()
    with rawsql.cursor() as cursor:  # prepared: run on every audited write
        cursor.execute(*query)
        last = cursor.fetchone()
    return (int(last[0]), str(last[1])) if last is not None else _anchor()


def locked_head_query() -> tuple[str, list[Any]] | None:
    """On PostgreSQL, ``locked_head()`` as a query to run inside another statement (one round trip
    fewer): a ``SELECT`` of ``head_seq, head_hash`` and its parameters. Its result, read in the same
    transaction just before ``record_event``, is that call's ``head``. None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    return f"SELECT head_seq, head_hash FROM {head.FUNCTION}(%s)", [_CHAIN_LOCK_KEY]  # noqa: S608


def chain_head() -> tuple[int, str]:
    """(seq, hash) of the newest link: the last event, or after a purge of everything, the anchor."""
    with rawsql.cursor() as cursor:  # hand-written: read on every audited write (qijian/core/rawsql.py)
        cursor.execute(f"SELECT seq, hash FROM {rawsql.table(AuditEvent)} ORDER BY seq DESC LIMIT 1")  # noqa: S608
        last = cursor.fetchone()
    return (int(last[0]), str(last[1])) if last is not None else _anchor()


def _head(read: tuple[Any, Any] | None) -> tuple[int, str]:
    if read is None or read[0] is None:  # not read, or no event yet (the lock is taken again: a no-op)
        return locked_head()
    return int(read[0]), str(read[1])


def _anchor() -> tuple[int, str]:
    anchor = AuditCheckpoint.objects.order_by("-up_to_seq").values_list("up_to_seq", "head_hash").first()
    return anchor if anchor is not None else (0, GENESIS)


def _target_fields(target: models.Model | None, target_type: str, target_id: str) -> tuple[str, str, str]:
    if target is None:
        return target_type, target_id, target_id
    return target._meta.label_lower, str(target.pk), str(target)


def _new_event(actor: Any, action: str, target: tuple[str, str, str], before: Any, after: Any) -> AuditEvent:
    ttype, tid, trepr = target
    return AuditEvent(
        occurred_at=_now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_repr=text_safe(getattr(actor, "username", "") or "system", 150),
        action=text_safe(action, 64),
        target_type=text_safe(ttype, 64),
        target_id=text_safe(tid, 64),
        target_repr=text_safe(trepr, 255),
        before=json_safe(before),
        after=json_safe(after),
        request_id=text_safe(current_request_id(), 64),
    )


def record_event(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    head: tuple[Any, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    No savepoint of its own: if the event cannot be written, the caller's whole transaction fails with it
    (a write without its event must not commit), and the two statements a savepoint costs are saved on
    every audited write. Called outside a transaction, it opens one. ``head``: the row of
    ``locked_head_query()`` the caller ran in this transaction (None: read here). A stale head cannot fork
    the chain: the unique seq and predecessor make the insert fail."""
    event = _new_event(actor, action, _target_fields(target, target_type, target_id), before, after)
    with transaction.atomic(savepoint=False):
        seq, prev_hash = _head(head)
        event.occurred_at = _now()  # taken under the lock: time never runs backwards in seq
        event.seq, event.prev_hash = seq + 1, prev_hash
        event.hash = link_hash(prev_hash, event.chained_fields())
        rawsql.insert(event)  # an append: AppendOnlyModel.save would only add its "adding" check
    return event


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe picture of a model instance for an event's before/after."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(instance, name)
        out[name] = value if value is None or isinstance(value, bool | int | str) else str(value)
    return out


# --- Checkpoints -------------------------------------------------------------------------------


def _sign(seq: int, head_hash: str, kind: str) -> AuditCheckpoint:
    key_id, key = signing_key()
    checkpoint = AuditCheckpoint(
        up_to_seq=seq,
        head_hash=head_hash,
        event_count=seq,
        created_at=_now(),
        key_id=key_id,
        kind=kind,
    )
    checkpoint.signature = sign_checkpoint(key, checkpoint.signed_fields())
    checkpoint.save(force_insert=True)
    return checkpoint


def write_checkpoint(*, actor: Any, kind: str = CheckpointKind.MANUAL) -> AuditCheckpoint | None:
    """Sign the current head; None (and nothing written) when the head is already signed.

    The checkpoint's own event is appended first and the signature covers it, so a second call
    with no new events finds its head signed and writes nothing (the periodic task relies on it).
    """
    with transaction.atomic():
        lock_chain()
        seq, head_hash = chain_head()
        if seq == 0 or AuditCheckpoint.objects.filter(up_to_seq=seq, head_hash=head_hash).exists():
            return None
        event = record_event(
            actor=actor,
            action="audit.checkpoint",
            target_type="audit.auditcheckpoint",
            after={"kind": str(kind), "previous_head_seq": seq},
        )
        return _sign(event.seq, event.hash, kind)


def sign_anchor(*, seq: int, head_hash: str) -> AuditCheckpoint:
    """The purge anchor: the signed hash the first remaining event must link to. Caller holds the lock."""
    return _sign(seq, head_hash, CheckpointKind.PURGE)


# --- Verification runs -------------------------------------------------------------------------


def request_verification(*, actor: Any) -> VerificationRun:
    """Queue a verification of the whole chain (the worker runs it; see tasks.verify_chain_task)."""
    from qijian.audit.tasks import verify_chain_task

    with transaction.atomic():
        run = VerificationRun.objects.create(requested_by=actor, requested_at=dt.datetime.now(dt.UTC))
        record_event(actor=actor, action="audit.verify_requested", target=run)
        transaction.on_commit(lambda: verify_chain_task.enqueue(run.pk))
    return run


def complete_verification(*, run: VerificationRun, report: Report | None, error: str = "") -> VerificationRun:
    """Store the outcome of one verification run (the worker's write, no actor: it is the system)."""
    run.finished_at = dt.datetime.now(dt.UTC)
    if report is None:
        run.status, run.detail = RunStatus.FAILED, error[:2000]
    else:
        _copy_report(run, report)
    with transaction.atomic():
        run.save(update_fields=[f.name for f in VerificationRun._meta.concrete_fields if f.name != "id"])
        record_event(actor=None, action="audit.verified", target=run, after={"status": run.status})
    return run


def _copy_report(run: VerificationRun, report: Report) -> None:
    run.status = RunStatus.PASSED if report.ok else RunStatus.BROKEN
    run.rows, run.checkpoints = report.rows, report.checkpoints
    run.first_seq, run.last_seq, run.attested_to = report.first_seq, report.last_seq, report.attested_to
    if report.broken:
        run.broken_seq, run.broken_kind, run.detail = report.broken.seq, report.broken.kind, report.broken.detail
