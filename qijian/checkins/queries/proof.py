"""The audit proof of a trace: the chain check (``qijian.audit.verify``) over the seq range of its rows.

A trace's events are scattered through the chain, so the check walks EVERY event from the lowest to
the highest seq of the trace's rows: each event's SM3 hash is recomputed from its content, each
``prev_hash`` must equal the hash before it, and every signed checkpoint inside the range must match.
The walk starts from the stored hash of the event just before the range (or the chain's start),
handed to ``verify_chain`` as its ``start``. A row rewritten with a recomputed hash breaks the link to the
next event; rewriting everything up to the range's end is caught by the signed checkpoints inside
the range, or by the auditor's full-chain verification (docs/audit.md) at the next checkpoint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from qijian.audit.chain import CHAINED_FIELDS, GENESIS, utc_text
from qijian.audit.keys import key_ring
from qijian.audit.models import AuditCheckpoint, AuditEvent
from qijian.audit.verify import PURGE, Break, verify_chain

from .trace import TraceRow

BATCH = 5000
RANGE_LIMIT = 500_000  # events; a wider range is left to the auditor's full verification
_ROW_FIELDS = ("id", "prev_hash", "hash", *CHAINED_FIELDS)


@dataclass(frozen=True)
class ChainProof:
    ok: bool | None  # None: nothing checked (no audited row, or the range is too wide)
    first_seq: int | None = None
    last_seq: int | None = None
    events: int = 0
    checkpoints: int = 0
    broken: Break | None = None
    checked_at: dt.datetime | None = None

    @property
    def text(self) -> str:
        """The verification line printed under a trace and at the end of its export."""
        if self.ok is None:
            if self.first_seq is None:
                return "审计链校验:本轨迹无审计记录,无需校验"
            return f"审计链校验未执行:序号 {self.first_seq} 至 {self.last_seq} 范围过大,请由安全审计员执行全链校验"
        span = (
            f"审计序号 {self.first_seq} 至 {self.last_seq},共 {self.events} 条事件,含 {self.checkpoints} 个签名检查点"
        )
        if self.ok:
            return f"审计链校验通过({span})"
        assert self.broken is not None
        return f"审计链校验未通过({span}):序号 {self.broken.seq} {self.broken.label}——{self.broken.detail}"


def verify_trace(rows: Sequence[TraceRow]) -> ChainProof:
    """Check the chain over the seq range of the rows' audit events (derived rows have none)."""
    seqs = [r.seq for r in rows if r.seq is not None]
    if not seqs:
        return ChainProof(ok=None)
    return verify_range(min(seqs), max(seqs))


def verify_range(first: int, last: int) -> ChainProof:
    if last - first + 1 > RANGE_LIMIT:
        return ChainProof(ok=None, first_seq=first, last_seq=last)
    checkpoints = _checkpoints(first, last)
    keys = key_ring({str(c["key_id"]) for c in checkpoints})
    report = verify_chain(_rows(first, last), checkpoints, keys, start=(first - 1, _start_hash(first)))
    return ChainProof(
        ok=report.ok,
        first_seq=first,
        last_seq=last,
        events=report.rows,
        checkpoints=report.checkpoints,
        broken=report.broken,
        checked_at=dt.datetime.now(dt.UTC),
    )


def _start_hash(first: int) -> str:
    """Where the walk starts: the stored hash of event ``first - 1`` (the genesis hash before event 1)."""
    before = AuditEvent.objects.filter(seq=first - 1).values_list("hash", flat=True).first()
    if before is None and first > 1:  # purged: start from the range's own first link
        before = AuditEvent.objects.filter(seq=first).values_list("prev_hash", flat=True).first()
    return before or GENESIS


def _checkpoints(first: int, last: int) -> list[dict[str, Any]]:
    qs = AuditCheckpoint.objects.filter(up_to_seq__gte=first, up_to_seq__lte=last).exclude(kind=PURGE)
    return [c.signed_fields() for c in qs.order_by("up_to_seq", "id")]


def _rows(first: int, last: int) -> Iterator[dict[str, Any]]:
    """The events of the range in append order, one keyset batch at a time."""
    last_id = 0
    while True:
        qs = AuditEvent.objects.filter(seq__gte=first, seq__lte=last, id__gt=last_id).order_by("id")
        rows = list(qs.values(*_ROW_FIELDS)[:BATCH])
        for row in rows:
            row["occurred_at"] = utc_text(row["occurred_at"])
            yield row
        if len(rows) < BATCH:
            return
        last_id = rows[-1]["id"]
