"""Writes of the check-in app (入企扫码): check-in, check-out with the result, attachments.

Every function takes a keyword-only ``actor`` (an inspector's account), validates first
(``CheckInError`` with a Chinese message, nothing written), then writes and audits in one transaction.
Times are the server's: ``scanned_at`` and ``checked_out_at`` are never taken from the caller; a
phone's ``client_time`` is kept as information (and, for an offline replay, chooses the filing).

Idempotency: a check-in is keyed by the phone's idempotency key. A replay of a known key returns the
ORIGINAL row unchanged (``created=False``), even when the replay's content differs: the first arrival
wins, a later copy never edits it. Two racing requests with one key both try the insert inside a
savepoint; the loser's unique-key violation is caught and it returns the winner's row.

An entry with no matching filing is never refused: it is stored with ``unfiled=True`` and raises a
critical R01 alert (a referral candidate) in the same transaction.
"""

from __future__ import annotations

from qijian.checkins.services.attachments import _content_type, _read, add_attachment, sniff  # noqa: F401
from qijian.checkins.services.base import (  # noqa: F401
    EXTENSIONS,
    KEY_MAX,
    MAGIC,
    NAME_TYPES,
    SPAN_MARGIN,
    CheckInError,
    _companion_label,
    _enterprise_id_from_token,
    _load_people,
    _now,
    _pick_companions,
    _require_certified,
    local_day,
    resolve_companions,
    resolve_enterprise,
    scanning_inspector,
    uncertified_reason,
)
from qijian.checkins.services.checkin import (  # noqa: F401
    Draft,
    Outcome,
    _Batch,
    _own,
    _raise_unfiled,
    _store,
    checkin_summary,
    existing_checkin,
    record_checkin,
    record_checkins,
)
from qijian.checkins.services.checkout import _check_result, _checkout_summary, _require_visitor, check_out  # noqa: F401
from qijian.checkins.services.matching import (  # noqa: F401
    Match,
    _accuracy,
    _aware,
    _check_on_site_people,
    _coordinate,
    _key,
    _moments,
    _source,
    department_filings,
    match_filing,
)
