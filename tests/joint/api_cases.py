"""The API write cases of the joint-visit workflow (used by tests/api/write_cases.py)."""

from __future__ import annotations

from typing import Any

import pytest

from qijian.core.testing import County
from qijian.joint import services
from qijian.org.models import Inspector
from tests.joint.factories import QUARTER, joint_setup

Case = tuple[int | None, dict[str, Any]]


def run_case(county: County, mp: pytest.MonkeyPatch) -> Case:
    joint_setup(county, mp)
    return None, {"quarter": QUARTER.code}


def answer_case(county: County, mp: pytest.MonkeyPatch) -> Case:
    js = joint_setup(county, mp)
    js.run()
    return js.proposal().pk, {"accept": True}


def file_case(county: County, mp: pytest.MonkeyPatch) -> Case:
    """An accepted proposal led by the first department whose automatic filing was refused (every
    inspector was suspended at the time); the inspectors are back, so filing it again succeeds."""
    js = joint_setup(county, mp)
    js.run()
    proposal = js.proposal()
    assert proposal.lead_department_id == county.dept.pk
    services.answer_proposal(actor=js.admin(county.other_dept), proposal=proposal, accept=True)
    Inspector.objects.update(status="suspended")
    services.answer_proposal(actor=js.admin(county.dept), proposal=proposal, accept=True)
    Inspector.objects.update(status="active")
    return proposal.pk, {}
