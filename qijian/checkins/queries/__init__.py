"""Reads of the check-in app, always narrowed to what the user may see.

- ``records``: check-in lists, detail, attachments, the events of one check-in;
- ``trace``: the per-enterprise and per-inspection (filing) timelines, built from the target types
  registered in ``sources`` (another app adds its own with ``register_trace_source``);
- ``proof``: the audit-chain check over a trace's seq range.
"""

from qijian.checkins.queries.proof import ChainProof, verify_range, verify_trace
from qijian.checkins.queries.records import (
    LIST_RELATED,
    alerts_of,
    checkin_detail,
    checkin_events,
    checkins_for,
    visible_checkins,
    visible_enterprise,
    visible_filing,
    visit_checkin,
)
from qijian.checkins.queries.sources import TraceSource, kind_label, register_trace_source, trace_sources
from qijian.checkins.queries.trace import (
    CODE_ACTION,
    CODE_KIND,
    KIND_LABELS,
    TRACE_LIMIT,
    TraceRow,
    code_row,
    enterprise_timeline,
    filing_chain,
    filing_timeline,
)

_visible = visible_checkins  # the name before the split

__all__ = [
    "CODE_ACTION",
    "CODE_KIND",
    "KIND_LABELS",
    "LIST_RELATED",
    "TRACE_LIMIT",
    "ChainProof",
    "TraceRow",
    "TraceSource",
    "alerts_of",
    "checkin_detail",
    "checkin_events",
    "checkins_for",
    "code_row",
    "enterprise_timeline",
    "filing_chain",
    "filing_timeline",
    "kind_label",
    "register_trace_source",
    "trace_sources",
    "verify_range",
    "verify_trace",
    "visible_checkins",
    "visible_enterprise",
    "visible_filing",
    "visit_checkin",
]
