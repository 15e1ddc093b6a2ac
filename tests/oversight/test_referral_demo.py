"""The referral demo: one approved referral of the unfiled scan's R01 alert, one awaiting the supervisor's
approval; a second run adds nothing; an empty database gets nothing."""

from __future__ import annotations

from typing import Any

import pytest

from qijian.core.testing import County
from qijian.oversight import referral_demo
from qijian.oversight.models import Referral
from qijian.oversight.rules import Finding
from qijian.oversight.services import raise_alert
from tests.oversight.test_referral_support import unfiled_visit


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def test_the_demo_refers_the_unfiled_scan_and_leaves_one_waiting_and_is_idempotent(county: County) -> None:
    _, r01 = unfiled_visit(county)
    raise_alert(
        finding=Finding(rule="R06", severity="warning", message="60日内重复检查"),
        key="R06:demo",
        department=county.dept,
    )
    referral_demo.load_demo()
    referral_demo.load_demo()
    done = Referral.objects.get(status="approved")
    waiting = Referral.objects.get(status="proposed")
    assert done.alert == r01 and done.packet and len(done.packet_sha256) == 64
    assert waiting.office_approved_by is not None and waiting.supervisor_approved_by is None
    assert Referral.objects.count() == 2


def test_the_demo_runs_on_an_empty_database(db: None) -> None:
    referral_demo.load_demo()
    assert not Referral.objects.exists()
