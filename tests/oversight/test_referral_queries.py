"""counts(start, end) for the quarterly summary: proposed, approved, rejected, by department."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.core.calendar import local_today
from qijian.core.testing import County
from qijian.oversight import referrals
from qijian.oversight.referral_queries import counts
from tests.oversight.test_referral_support import approved, propose, unfiled_visit


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def test_counts_of_the_period_by_department(county: County) -> None:
    approved(county, unfiled_visit(county)[1])
    rejected = propose(county, unfiled_visit(county)[1])
    referrals.reject_referral(actor=county.user("office"), referral=rejected, reason="证据不足")
    propose(county, unfiled_visit(county)[1])
    today = local_today()
    result = counts(today - dt.timedelta(days=90), today)
    assert (result.proposed, result.approved, result.rejected) == (3, 1, 1)
    [dept] = result.by_department
    assert (dept.department, dept.proposed, dept.approved, dept.rejected) == (county.dept.name, 3, 1, 1)


def test_counts_outside_the_period_are_zero(county: County) -> None:
    approved(county, unfiled_visit(county)[1])
    past = local_today() - dt.timedelta(days=400)
    result = counts(past, past + dt.timedelta(days=90))
    assert (result.proposed, result.approved, result.rejected, result.by_department) == (0, 0, 0, [])
