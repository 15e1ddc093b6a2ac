"""The plans demo: built through the services, audited, idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.audit.models import AuditEvent
from qijian.core import demo as core_demo
from qijian.org.models import Department
from qijian.plans.choices import PlanKind, PlanStatus
from qijian.plans.models import Plan, PlanEntry, WorkReport

SMALL = 400


@pytest.fixture
def demo_county(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from qijian.catalog import demo as catalog_demo
    from qijian.meetings import demo as meetings_demo

    core_demo.build_demo(enterprises=SMALL, today=dt.date(2026, 11, 27))
    meetings_demo.load_demo()
    catalog_demo.load_demo()


def test_demo_plans_cover_every_state_and_load_once(demo_county: None) -> None:
    from qijian.plans.demo import load_demo

    load_demo()
    counts = (Plan.objects.count(), PlanEntry.objects.count(), WorkReport.objects.count())
    load_demo()
    assert (Plan.objects.count(), PlanEntry.objects.count(), WorkReport.objects.count()) == counts
    q4 = Plan.objects.filter(kind=PlanKind.QUARTERLY, year=2026, quarter=4)
    assert q4.count() == 3 and set(q4.values_list("status", flat=True)) == {PlanStatus.APPROVED}
    annual = Plan.objects.get(kind=PlanKind.ANNUAL_RANDOM, year=2026)
    assert annual.status == PlanStatus.APPROVED and annual.entries.count() == 3
    q1 = dict(Plan.objects.filter(year=2027, quarter=1).values_list("department__code", "status"))
    assert {code: q1.pop(code, None) for code in ("130921-YJGLJ", "130921-STHJ")} == {
        "130921-YJGLJ": PlanStatus.DRAFT,
        "130921-STHJ": PlanStatus.SUBMITTED,
    }
    assert set(q1.values()) <= {PlanStatus.APPROVED}  # the joint-visit demo's approved plans for that quarter
    entries = PlanEntry.objects.filter(plan__in=q4)
    assert entries.filter(joint=True, partners__code="130921-STHJ").exists()
    assert entries.filter(level="city", implementing_department__code="130900-YJGLJ").exists()
    assert {"random", "targeted"} <= set(entries.values_list("mode", flat=True))
    reporting = Department.objects.filter(level="county", is_enforcement=True).count() - 2  # two "forget"
    assert WorkReport.objects.filter(year=2026, quarter=3, late=False).count() == reporting
    approvals = AuditEvent.objects.filter(action="plans.approve_plan").exclude(target_repr__contains="2027年第1季度")
    assert approvals.count() == 4  # the plans demo's own (2027 Q1 approvals belong to the joint-visit demo)
    assert q4.first().submitted_at.date() < dt.date(2026, 10, 1)  # type: ignore[union-attr]
