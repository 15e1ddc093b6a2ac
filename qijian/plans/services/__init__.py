"""Writes of the plans app: drafting, submitting, reviewing, approving plans; completion; work reports.

Every function takes a keyword-only ``actor``, validates first (``PlanError`` with a Chinese message,
nothing written) and then writes and audits in one transaction. "Today" is
``qijian.core.calendar.local_today()`` (read through the module so tests can freeze it).

Two writes happen on purpose even when a call is refused: a plan submitted after its window closed
without an extension, and a work report filed late, raise an R11 alert (``oversight.services.raise_alert``,
its own transaction, idempotent by key) — the breach is recorded although the submission is not.
"""

from __future__ import annotations

from qijian.plans.services.base import (  # noqa: F401
    _TEXT_LIMITS,
    EDITABLE,
    ENTRY_FIELDS,
    PlanError,
    _check_new_plan,
    _link,
    _now,
    _require_editable,
    _require_editor,
    _require_office,
    _role,
    _today,
    create_plan,
)
from qijian.plans.services.completion import (  # noqa: F401
    COMPLETION_COUNTS,
    _check_completion_time,
    _check_counts,
    _check_work_report,
    _completion_snapshot,
    _mark_plan_reported,
    _quarter,
    report_completion,
    submit_work_report,
)
from qijian.plans.services.entries import (  # noqa: F401
    _check_item,
    _check_level,
    _check_partners,
    _check_simple,
    _check_targets,
    _check_window,
    _entry_fields,
    _entry_snapshot,
    _validate_entry,
    _write_entry,
    add_entry,
    remove_entry,
    update_entry,
)
from qijian.plans.services.review import (  # noqa: F401
    _PART_BY_ROLE,
    _SUBJECT,
    _notify_returned,
    _notify_reviewed,
    _reviewable_part,
    _reviews_done,
    approve_plan,
    is_approvable,
    return_plan,
    review_plan,
)
from qijian.plans.services.submission import (  # noqa: F401
    _check_submittable,
    _dept,
    _editor_role,
    _extension_active,
    _notify_submitted,
    _raise_r11_plan,
    _review_state,
    _submission_lateness,
    _submit,
    grant_extension,
    submit_plan,
)
