"""Shared fixtures of the evaluations tests: finished inspections that have (or have not) a follow-up.

``finished_visit(county)`` runs the real check-in services: an inspector of the first department
scans in at the first enterprise under a covering filing, with a colleague, and checks out (on-site
by default), which creates the follow-up through the ``checked_out`` signal. Other tests import
``finished_visit``/``unfiled_visit`` directly or use the ``follow_up`` fixture.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from qijian.checkins import services as checkins
from qijian.checkins.models import CheckIn
from qijian.core.testing import County
from qijian.evaluations.models import FollowUp
from tests.checkins.visits import Visit, build_visit


def finished_visit(county: County, *, method: str = "onsite", visit: Visit | None = None) -> CheckIn:
    """A filed check-in of the first inspector (with its colleague), checked out with ``method``."""
    visit = visit or build_visit(county)
    row, _ = checkins.record_checkin(
        actor=visit.inspector_user,
        idempotency_key=uuid.uuid4().hex,
        enterprise=county.enterprise,
        companions=[visit.colleague.certificate_no],
    )
    return checkins.check_out(actor=visit.inspector_user, checkin=row, result="no_problem", method=method)


def unfiled_visit(county: County) -> CheckIn:
    """An on-site check-in with no covering filing (R01), checked out."""
    inspector = county.user("inspector")
    row, _ = checkins.record_checkin(actor=inspector, idempotency_key=uuid.uuid4().hex, enterprise=county.enterprise)
    return checkins.check_out(actor=inspector, checkin=row, result="no_problem")


@pytest.fixture
def follow_up(county: County, tmp_path: Any, settings: Any) -> FollowUp:
    """The follow-up of a finished, filed on-site inspection (assigned to the first supervisor)."""
    settings.MEDIA_ROOT = str(tmp_path)
    return FollowUp.objects.get(checkin=finished_visit(county))
