"""Follow-up services (回访): created on the check-out of an on-site inspection, then done by 司法局 staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from qijian.audit.services import record_event
from qijian.catalog.choices import InspectionMethod
from qijian.checkins.models import CheckIn
from qijian.core.calendar import local_zone
from qijian.evaluations.models import FollowUp
from qijian.policy.loader import figure


class FollowUpError(ValueError):
    """A follow-up action that is not allowed; the message is for the user (Chinese)."""


def follow_up_after_checkout(sender: Any, *, checkin: CheckIn, actor: Any, **kwargs: Any) -> None:
    """Receiver of ``checkins.signals.checked_out``: a finished on-site inspection gets its follow-up."""
    if checkin.method == InspectionMethod.ONSITE:
        create_follow_up(actor=actor, checkin=checkin)


def _department_of(checkin: CheckIn) -> Any:
    return checkin.filing.department if checkin.filing is not None else checkin.inspector.department


@transaction.atomic
def create_follow_up(*, actor: Any, checkin: CheckIn) -> FollowUp | None:
    """The follow-up of ``checkin`` (None if it has one already), due ``follow_up.days`` after the visit."""
    if FollowUp.objects.filter(checkin=checkin).exists():
        return None
    inspected_on = checkin.scanned_at.astimezone(local_zone()).date()
    follow_up = FollowUp.objects.create(
        checkin=checkin,
        filing_id=checkin.filing_id,
        enterprise_id=checkin.enterprise_id,
        department=_department_of(checkin),
        inspected_on=inspected_on,
        due_on=inspected_on + dt.timedelta(days=int(figure("follow_up.days"))),
    )
    record_event(
        actor=actor,
        action="evaluations.create_follow_up",
        target=follow_up,
        after={"checkin": checkin.pk, "due_on": follow_up.due_on.isoformat()},
    )
    return follow_up
