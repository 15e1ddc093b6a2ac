"""Writes to the enterprise registry. Each function audits itself in its own transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from qijian.audit.services import record_event, snapshot
from qijian.core.codes.uscc import check_uscc
from qijian.core.imports.digest import KeyDigest, sm3_of_keys
from qijian.core.imports.pgcopy import (
    column,
    copy_blocks,
    copy_rows,
    copy_text,
    secondary_indexes_deferred,
    worth_deferring,
)
from qijian.enterprises.choices import UsccStatus
from qijian.enterprises.models import Enterprise, Industry


def apply_uscc_status(enterprise: Enterprise) -> str:
    """Set the code's validation status; return the warning for a pilot code ('' when valid)."""
    result = check_uscc(enterprise.uscc)
    enterprise.uscc = result.code
    enterprise.uscc_status = UsccStatus.VALID if result.ok else UsccStatus.PILOT
    return result.message


@transaction.atomic
def create_industry(*, actor: Any, code: str, name: str, parent: Industry | None = None) -> Industry:
    industry = Industry(code=code, name=name, parent=parent)
    industry.full_clean()
    industry.save(force_insert=True)
    record_event(actor=actor, action="enterprises.create_industry", target=industry, after=snapshot(industry))
    return industry


@transaction.atomic
def register_enterprise(*, actor: Any, **fields: Any) -> Enterprise:
    enterprise = Enterprise(**fields)
    warning = apply_uscc_status(enterprise)
    enterprise.full_clean()
    enterprise.save(force_insert=True)
    after = snapshot(enterprise) | ({"warning": warning} if warning else {})
    record_event(actor=actor, action="enterprises.register", target=enterprise, after=after)
    return enterprise


@transaction.atomic
def register_enterprises(*, actor: Any, enterprises: Sequence[Enterprise], batch_size: int = 2000) -> int:
    """Insert many already-validated enterprises at once; one audit event names the batch."""
    for enterprise in enterprises:
        apply_uscc_status(enterprise)
    created = Enterprise.objects.bulk_create(enterprises, batch_size=batch_size)
    codes = [e.uscc for e in created]
    record_event(
        actor=actor,
        action="enterprises.register_batch",
        target_type="enterprises.enterprise",
        target_id=f"batch:{len(created)}",
        after=_batch_summary(len(codes), sm3_of_keys(codes), codes),
    )
    return len(created)


# Validated rows handed to ``load_enterprises``: tuples of these fields, in this order.
LOAD_COLUMNS = (
    "uscc",
    "uscc_status",
    "name",
    "type",
    "industry_id",
    "township_id",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "status",
    "grade",
    "established_on",
)
_COPY_COLUMNS = (*LOAD_COLUMNS, "created_at", "updated_at")
_LISTED_KEYS = 1000  # a batch up to this size lists its codes in the audit event; bigger ones only the digest


def _batch_summary(count: int, digest: str, codes: Sequence[str] = (), source: str = "") -> dict[str, Any]:
    after: dict[str, Any] = {"count": count, "uscc_sm3": digest}
    if 0 < len(codes) <= _LISTED_KEYS:
        after["uscc"] = list(codes)
    if source:
        after["source"] = source
    return after


@transaction.atomic
def load_enterprises(*, actor: Any, rows: Iterable[Sequence[Any]], expected: int = 0, source: str = "") -> int:
    """Insert validated rows (tuples in LOAD_COLUMNS order) in one transaction with one audit event.

    PostgreSQL gets a COPY (with the secondary indexes rebuilt afterwards when the load is large);
    other databases get bulk_create in batches. The event records the count and an SM3 digest of the
    credit codes in load order.
    """
    digest = KeyDigest()
    tapped = digest.tap(rows, LOAD_COLUMNS.index("uscc"))
    loader = _copy_enterprises if connection.vendor == "postgresql" else _bulk_create_enterprises
    count = loader(tapped, expected)
    _audit_import(actor, count, digest, source)
    return count


def _audit_import(actor: Any, count: int, digest: KeyDigest, source: str) -> None:
    record_event(
        actor=actor,
        action="enterprises.import",
        target_type="enterprises.enterprise",
        target_id=f"batch:{count}",
        after=_batch_summary(count, digest.hexdigest(), source=source),
    )


@dataclass(frozen=True)
class EnterpriseBatch:
    """A batch of validated rows prepared by a worker: COPY text (UTF-8) on PostgreSQL, else the row tuples."""

    codes: list[str]
    rows: bytes | list[tuple[Any, ...]]


def enterprise_batch_encoder() -> Callable[[Sequence[tuple[Any, ...]]], EnterpriseBatch]:
    """How a worker process prepares a batch of validated rows (LOAD_COLUMNS order) for loading."""
    uscc = LOAD_COLUMNS.index("uscc")
    if connection.vendor != "postgresql":
        return lambda rows: EnterpriseBatch(column(rows, uscc), list(rows))
    now, width = timezone.now().isoformat(), len(_COPY_COLUMNS)
    return lambda rows: EnterpriseBatch(column(rows, uscc), copy_text(rows, width, (now, now)).encode())


@transaction.atomic
def load_enterprise_batches(
    *, actor: Any, batches: Iterable[EnterpriseBatch], expected: int = 0, source: str = ""
) -> int:
    """Like load_enterprises, for batches prepared by ``enterprise_batch_encoder`` (same audit event)."""
    digest = KeyDigest()

    def rows() -> Iterator[Any]:
        for batch in batches:
            digest.extend(batch.codes)
            yield batch.rows

    if connection.vendor == "postgresql":
        count = _copy(expected, lambda cursor, table: copy_blocks(cursor, table, _COPY_COLUMNS, rows()))
    else:
        count = _bulk_create_enterprises(chain.from_iterable(rows()), expected)
    _audit_import(actor, count, digest, source)
    return count


def _with_timestamps(rows: Iterable[Sequence[Any]], now: str = "") -> Iterator[tuple[Any, ...]]:
    """Add created_at and updated_at (aware, UTC), as the text COPY reads, to each row."""
    now = now or timezone.now().isoformat()
    stamps = (now, now)
    for row in rows:
        yield (*row, *stamps)


def _copy_enterprises(rows: Iterable[Sequence[Any]], expected: int) -> int:
    return _copy(expected, lambda cursor, table: copy_rows(cursor, table, _COPY_COLUMNS, _with_timestamps(rows)))


def _copy(expected: int, write: Callable[[Any, str], int]) -> int:
    """Run ``write(cursor, table)`` (a COPY), with the secondary indexes rebuilt after it when worth it."""
    table = Enterprise._meta.db_table
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if not worth_deferring(cursor, table, expected):
            return write(cursor, table)
        with secondary_indexes_deferred(cursor, table):
            return write(cursor, table)


def _bulk_create_enterprises(rows: Iterable[Sequence[Any]], expected: int, batch_size: int = 2000) -> int:
    count, iterator = 0, iter(rows)
    while batch := list(islice(iterator, batch_size)):
        Enterprise.objects.bulk_create([Enterprise(**dict(zip(LOAD_COLUMNS, row, strict=True))) for row in batch])
        count += len(batch)
    return count


@transaction.atomic
def set_grade(*, actor: Any, enterprise: Enterprise, grade: str, reason: str) -> Enterprise:
    before = snapshot(enterprise, ["grade"])
    enterprise.grade = grade
    enterprise.full_clean()
    enterprise.save(update_fields=["grade", "updated_at"])
    record_event(
        actor=actor,
        action="enterprises.set_grade",
        target=enterprise,
        before=before,
        after={"grade": grade, "reason": reason},
    )
    return enterprise
