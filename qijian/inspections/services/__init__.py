"""Writes of the filings app (报备): planned, urgent, superior-level and acceptance-visit filings,
amendments and cancellations.

Every function takes a keyword-only ``actor``, validates first (``FilingError`` with a Chinese message,
nothing written), then writes, audits, tells the office (in the app and by mail to the office mailbox,
after commit) and runs the oversight checks of a new filing (``oversight.checks.after_filing``), all in
one transaction. Times are the server's: ``filed_at`` is never taken from the caller.
"""

from __future__ import annotations

from qijian.inspections.services.checks import (  # noqa: F401
    _ROOT_LENGTH,
    NUMBER_ATTEMPTS,
    SUPERIOR_LEVELS,
    Facts,
    FilingError,
    _aware,
    _certified,
    _check_future_window,
    _check_window_order,
    _expired_text,
    _find_enterprise,
    _find_inspector,
    _fmt,
    _now,
    _require_admin_of,
    _text,
    _uncertified,
    _window_days,
    check_conflicts,
    check_enterprises,
    check_inspectors,
    effective_item,
    local_day,
    resolve_enterprises,
    resolve_inspectors,
)
from qijian.inspections.services.filing import (  # noqa: F401
    _actor_department,
    _amended_facts,
    _check_changeable,
    _check_entry_window,
    _check_method,
    _check_people,
    _check_reason,
    _entry_is_approved,
    _file_urgent,
    _raise_late_filing_alert,
    _superior_ids,
    amend_filing,
    cancel_filing,
    file_planned,
    file_urgent,
)
from qijian.inspections.services.multilevel import (  # noqa: F401
    _ancestors,
    _check_planned_entry,
    _has_county_descendant,
    _notify_townships,
    _township_body,
    check_counterpart,
    file_acceptance_visit,
    file_superior_inspection,
)
from qijian.inspections.services.stamps import _stamp, mark_office_notified, mark_read_by_office, mark_township_notified  # noqa: F401
from qijian.inspections.services.writing import (  # noqa: F401
    _create,
    _file,
    _mail_body,
    _next_number,
    _number_taken,
    _run_checks,
    _save_numbered,
    _tell_office,
    amendment_number,
    kind_label,
    summary,
)
