"""Helpers of the grading tests: indicator values, check-in results, a grading decision, a list in force."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

import pytest

from qijian.checkins.models import CheckIn
from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.grading import services
from qijian.grading.models import GradeList, IndicatorValue
from qijian.meetings.models import Decision
from qijian.meetings.services import record_decision, record_meeting
from tests.plans.factories import freeze

DECEMBER = dt.date(2026, 12, 10)
_keys = count()

# Indicator values that make an A, a B and a C enterprise (data year 2026, for the 2027 list).
GOOD: dict[str, Any] = {
    "credit_rating": "A",
    "tax_rating": "A",
    "high_tech": True,
    "employees": 300,
    "tax_paid": 600,
    "safety_incidents": 0,
}
POOR: dict[str, Any] = {
    "credit_rating": "D",
    "tax_rating": "B",
    "high_tech": False,
    "employees": 60,
    "tax_paid": 50,
    "safety_incidents": 0,
}


def values(enterprise: Enterprise, year: int = 2026, **fields: Any) -> IndicatorValue:
    return IndicatorValue.objects.create(enterprise=enterprise, year=year, **fields)


def checkin(county: County, enterprise: Enterprise, result: str, days_ago: int = 10) -> CheckIn:
    """A checked-out check-in with a result (written directly: check-ins are tested in tests/checkins)."""
    return CheckIn.objects.create(
        idempotency_key=f"grading-{next(_keys)}",
        enterprise=enterprise,
        inspector=county.inspector,
        recorded_by=county.user("inspector"),
        scanned_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago),
        status="checked_out",
        result=result,
    )


def grading_decision(county: County, subject: str = "grading") -> Decision:
    office = county.user("office")
    meeting = record_meeting(actor=office, title="12月联席会议", held_on=dt.date(2026, 12, 20), kind="quarterly")
    return record_decision(actor=office, meeting=meeting, subject=subject, text="审定2027年度企业分级分类监管清单")


def draft(county: County, monkeypatch: pytest.MonkeyPatch, year: int = 2027) -> GradeList:
    freeze(monkeypatch, DECEMBER)
    return services.produce_draft_list(actor=county.user("office"), year=year)


def in_force(county: County, monkeypatch: pytest.MonkeyPatch) -> GradeList:
    """The 2027 list (the first enterprise GOOD, the other POOR), approved and applied on 1 January 2027."""
    values(county.enterprise, **GOOD)
    values(county.other_enterprise, **POOR)
    grade_list = draft(county, monkeypatch)
    services.approve_grade_list(actor=county.user("office"), grade_list=grade_list, decision=grading_decision(county))
    freeze(monkeypatch, dt.date(2027, 1, 1))
    services.apply_grade_list(actor=None, grade_list=grade_list)
    grade_list.refresh_from_db()
    return grade_list
