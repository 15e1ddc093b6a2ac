"""Access-matrix rows of the follow-up routes (回访, docs/followups.md).

Follow-ups are read by the office and the supervisor only (county-wide); everyone else — the inspected
department's admin and inspectors, the enterprise, the discipline role, the admin duties — gets 403.
Only a supervisor records a follow-up; the office or a supervisor reassigns it.
"""

from __future__ import annotations

import datetime as dt

from qijian.checkins.models import CheckIn
from qijian.core.testing import County
from qijian.evaluations.models import FollowUp
from tests.access_rules_base import _pk, api, page, roles

READERS = roles("office", "supervisor")
RECORDERS = roles("supervisor")
FOLLOW_UP = _pk("follow_up")

TABLE = {
    "evaluations:followup_list": page(READERS),
    "evaluations:followup_detail": page(READERS, obj=FOLLOW_UP),
    "evaluations:followup_record": page(READERS, obj=FOLLOW_UP, writers=RECORDERS, post_only=True),
    "evaluations:followup_assign": page(READERS, obj=FOLLOW_UP, writers=READERS, post_only=True),
    "api:followup-list": api(READERS),
    "api:followup-detail": api(READERS, obj=FOLLOW_UP),
    "api:followup-record": api(READERS, obj=FOLLOW_UP, writers=RECORDERS, post_only=True),
    "api:followup-assign": api(READERS, obj=FOLLOW_UP, writers=READERS, post_only=True),
}


def populate(county: County) -> None:
    """One pending follow-up of the first department's inspection (written directly: the services are
    tested in tests/evaluations)."""
    scanned = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    checkin = CheckIn.objects.create(
        idempotency_key="matrix-follow-up",
        enterprise=county.enterprise,
        inspector=county.inspector,
        recorded_by=county.user("inspector"),
        scanned_at=scanned,
    )
    county.follow_up = FollowUp.objects.create(  # type: ignore[attr-defined]
        checkin=checkin,
        enterprise=county.enterprise,
        department=county.dept,
        inspected_on=scanned.date(),
        due_on=scanned.date() + dt.timedelta(days=5),
        assigned_to=county.user("supervisor"),
    )
