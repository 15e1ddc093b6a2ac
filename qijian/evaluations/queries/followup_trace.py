"""Follow-up events in the check-in traces (per inspection and per enterprise), for readers of follow-ups.

The source finds the follow-ups of the check-ins the trace already holds (the check-in source runs
first) and, per enterprise, the enterprise's follow-ups; both go through ``FollowUp.objects.restrict``,
so a department admin, an inspector or the enterprise gets no follow-up rows at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qijian.checkins.queries.sources import Subjects, TraceSource
from qijian.core.models import VIEW
from qijian.enterprises.models import Enterprise
from qijian.evaluations.models import FollowUp
from qijian.inspections.models import Filing

TARGET_TYPE = "evaluations.followup"


def _subjects(qs: Any) -> Subjects:
    rows = qs.order_by("due_on", "pk").values_list("pk", "due_on")
    return {str(pk): f"回访(期限{due_on:%Y-%m-%d})" for pk, due_on in rows}


def _of_filings(user: Any, chain: Sequence[Filing], found: dict[str, Subjects]) -> Subjects:
    checkins = [int(pk) for pk in found.get("checkins.checkin", {})]
    return _subjects(FollowUp.objects.restrict(user, VIEW).filter(checkin_id__in=checkins))


def _of_enterprise(user: Any, enterprise: Enterprise) -> Subjects:
    return _subjects(FollowUp.objects.restrict(user, VIEW).filter(enterprise=enterprise))


FOLLOW_UP_SOURCE = TraceSource(TARGET_TYPE, "回访", _of_filings, _of_enterprise)
