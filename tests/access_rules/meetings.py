"""Access-matrix rows of this app's routes (see tests/access_rules/__init__.py)."""

from __future__ import annotations

import datetime as dt

from qijian.core.testing import County
from qijian.meetings.services import record_decision, record_meeting
from tests.access_rules_base import STAFF, Rule, _pk, api, page, roles

OFFICE = roles("office")

TABLE: dict[str, Rule] = {
    "meetings:meeting_list": page(STAFF),
    "meetings:meeting_create": page(OFFICE, writers=OFFICE),
    "meetings:meeting_detail": page(STAFF, obj=_pk("meeting")),
    "meetings:decision_create": page(OFFICE, obj=_pk("meeting"), writers=OFFICE, post_only=True),
    "api:meeting-list": api(STAFF),
    "api:meeting-detail": api(STAFF, obj=_pk("meeting")),
    "api:decision-list": api(STAFF),
    "api:decision-detail": api(STAFF, obj=_pk("decision")),
}


def populate(county: County) -> None:
    """Create the objects this module's ``obj``/``marker`` lambdas name."""
    office = county.user("office")
    meeting = record_meeting(actor=office, title="矩阵会议", held_on=dt.date(2025, 12, 20), kind="quarterly")
    county.meeting = meeting  # type: ignore[attr-defined]
    county.decision = record_decision(actor=office, meeting=meeting, subject="catalog", text="审定清单")  # type: ignore[attr-defined]
