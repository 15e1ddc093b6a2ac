"""Traces (mechanism 3, "执法留痕和可追溯"): the ordered story of one inspection or one enterprise.

``enterprise_timeline`` is every audit event of the filings, check-ins (check-outs, results,
attachments) and alerts of one enterprise that the user may see; ``filing_timeline`` is the same for
one filing and its amendment chain (the filings it superseded and those that superseded it), plus one
DERIVED row per filing for its inspection code. Rows from the audit chain carry their ``seq``, SM3
``hash`` and ``prev_hash``, in the order they were written, so an export can be checked against the
chain (``qijian.checkins.queries.proof``) to prove nothing was altered. The object types come from the
registry in ``sources.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from qijian.audit.models import AuditEvent
from qijian.core.calendar import local_zone
from qijian.core.models import VIEW
from qijian.enterprises.models import Enterprise
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from qijian.inspections.queries import root_number

from .sources import Subjects, kind_label, trace_sources

TRACE_LIMIT = 5000
CODE_ACTION = "checkins.filing_code_derived"
CODE_KIND = "检查码(派生)"
KIND_LABELS = {"inspections.filing": "报备", "checkins.checkin": "入企扫码", "oversight.alert": "监督预警"}


@dataclass(frozen=True)
class TraceRow:
    seq: int | None  # None for a derived row
    hash: str
    prev_hash: str
    at: dt.datetime
    kind: str  # 报备 / 检查码(派生) / 入企扫码 / 监督预警 / …
    subject: str  # the filing number, the check-in's inspector, the alert's rule
    action: str  # the audit action code (CODE_ACTION for a derived code row)
    actor: str
    detail: dict[str, Any]
    target_type: str
    target_id: str
    derived: bool = False  # computed from the filing, not an audit event: no seq or hash


def _events(found: dict[str, Subjects], limit: int) -> list[AuditEvent]:
    where = Q()
    for target_type, subjects in found.items():
        if subjects:
            where |= Q(target_type=target_type, target_id__in=list(subjects))
    if not where:
        return []
    return list(AuditEvent.objects.filter(where).select_related("actor").order_by("seq")[:limit])


def _trace_row(event: AuditEvent, found: dict[str, Subjects]) -> TraceRow:
    actor = event.actor.get_full_name() or event.actor.username if event.actor else event.actor_repr
    return TraceRow(
        seq=event.seq,
        hash=event.hash,
        prev_hash=event.prev_hash,
        at=event.occurred_at,
        kind=kind_label(event.target_type),
        subject=found.get(event.target_type, {}).get(event.target_id, event.target_repr),
        action=event.action,
        actor=actor,
        detail=event.after if isinstance(event.after, dict) else {},
        target_type=event.target_type,
        target_id=event.target_id,
    )


# --- per enterprise ----------------------------------------------------------------------------------


def enterprise_timeline(user: Any, enterprise: Enterprise, *, limit: int = TRACE_LIMIT) -> list[TraceRow]:
    """The audit events of every visible filing, check-in and alert of ``enterprise``, oldest first."""
    found = {s.target_type: s.of_enterprise(user, enterprise) for s in trace_sources()}
    return [_trace_row(e, found) for e in _events(found, limit)]


# --- per inspection ----------------------------------------------------------------------------------


def filing_chain(user: Any, filing: Filing) -> list[Filing]:
    """The visible filings of ``filing``'s amendment chain, the original first (one query)."""
    root = root_number(filing)
    chain = Filing.objects.restrict(user, VIEW).filter(Q(number=root) | Q(number__startswith=f"{root}-"))
    return sorted(chain.select_related("item", "department"), key=lambda f: (len(f.number), f.number))


def filing_timeline(
    user: Any, filing: Filing, *, chain: Sequence[Filing] | None = None, limit: int = TRACE_LIMIT
) -> list[TraceRow]:
    """The story of one inspection: every visible audit event of its amendment chain (``chain``, from
    ``filing_chain`` when not given), its check-ins and the alerts about them, in the order they were
    written, with each filing's derived code row right after that filing's first event."""
    chain = chain or filing_chain(user, filing) or [filing]
    found: dict[str, Subjects] = {}
    for source in trace_sources():
        found[source.target_type] = source.of_filings(user, chain, found)
    rows = [_trace_row(e, found) for e in _events(found, limit)]
    return _with_code_rows(rows, chain)


def _with_code_rows(rows: list[TraceRow], chain: Sequence[Filing]) -> list[TraceRow]:
    """Each filing's code row right after the first event of that filing (its filing), else by time."""
    pending = {str(f.pk): code_row(f) for f in chain}
    merged: list[TraceRow] = []
    for row in rows:
        merged.append(row)
        if row.target_type == "inspections.filing" and row.target_id in pending:
            merged.append(pending.pop(row.target_id))
    for late in pending.values():
        at = next((n for n, r in enumerate(merged) if r.at > late.at), len(merged))
        merged.insert(at, late)
    return merged


CODE_STATES = {
    FilingStatus.ACTIVE: "有效",
    FilingStatus.AMENDED: "已失效(报备已变更,以新版本检查码为准)",
    FilingStatus.CANCELLED: "已失效(报备已撤销)",
}


def code_row(filing: Filing) -> TraceRow:
    """The inspection code issued with a filing, computed (not stored, not audited): its validity."""
    from qijian.checkins.codes import filing_code_expiry

    expires = filing_code_expiry(filing)
    detail = {
        "number": filing.number,
        "valid_until": expires.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M"),
        "code_state": CODE_STATES.get(FilingStatus(filing.status), filing.status),
    }
    return TraceRow(
        seq=None,
        hash="",
        prev_hash="",
        at=filing.filed_at,
        kind=CODE_KIND,
        subject=filing.number,
        action=CODE_ACTION,
        actor="系统",
        detail=detail,
        target_type="inspections.filing",
        target_id=str(filing.pk),
        derived=True,
    )
