"""Building blocks of the plans tests (also for the 附件2/5 table tests): an effective catalog, plans
in each state, and a frozen "today".

"Today" is frozen by monkeypatching ``qijian.core.calendar.local_today`` (the services read it through
the module); every window day is computed from the policy file through ``qijian.core.calendar``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core import calendar
from qijian.core.calendar import Quarter
from qijian.core.testing import County
from qijian.meetings.models import Decision
from qijian.meetings.services import record_decision, record_meeting
from qijian.org.models import Department
from qijian.plans import services
from qijian.plans.models import Plan, PlanEntry

QUARTER = Quarter(2027, 1)
CATALOG_FROM = dt.date(2026, 1, 1)


def freeze(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr(calendar, "local_today", lambda: day)


def approved_catalog(
    department: Department, *, prefix: str = "YJ", effective_from: dt.date = CATALOG_FROM
) -> dict[str, CatalogItem]:
    """An approved version with one random and one targeted item (written directly: the catalog's
    own services are tested in tests/catalog)."""
    number = CatalogVersion.objects.filter(department=department).count() + 1
    version = CatalogVersion.objects.create(
        department=department, number=number, status="approved", effective_from=effective_from
    )
    common = {"version": version, "law": "《中华人民共和国安全生产法》", "article": "第六十五条"}
    return {
        "random": CatalogItem.objects.create(code=f"{prefix}-001", name="安全生产双随机抽查", mode="random", **common),
        "targeted": CatalogItem.objects.create(
            code=f"{prefix}-002", name="重大隐患专项检查", mode="targeted", **common
        ),
    }


def decision(county: County, subject: str = "plan") -> Decision:
    office = county.user("office")
    meeting = record_meeting(actor=office, title="季度联席会议", held_on=dt.date(2026, 12, 20), kind="quarterly")
    return record_decision(actor=office, meeting=meeting, subject=subject, text="审定检查计划")


def entry_kwargs(county: County, item: CatalogItem, quarter: Quarter = QUARTER, **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "item": item,
        "window_start": quarter.start,
        "window_end": quarter.start + dt.timedelta(days=30),
        "expected_count": 3,
        "targets": [county.enterprise],
    }
    return fields | extra


def draft_plan(county: County, items: dict[str, CatalogItem], quarter: Quarter = QUARTER) -> Plan:
    admin = county.user("dept_admin")
    plan = services.create_plan(actor=admin, department=county.dept, year=quarter.year, quarter=quarter.number)
    for item in items.values():
        services.add_entry(actor=admin, plan=plan, **entry_kwargs(county, item, quarter))
    return plan


def submitted_plan(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch, quarter: Quarter = QUARTER
) -> Plan:
    plan = draft_plan(county, items, quarter)
    freeze(monkeypatch, calendar.plan_window(quarter).opens)
    return services.submit_plan(actor=county.user("dept_admin"), plan=plan)


def approved_plan(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch, quarter: Quarter = QUARTER
) -> Plan:
    plan = submitted_plan(county, items, monkeypatch, quarter)
    services.review_plan(actor=county.user("random_coordinator"), plan=plan, passed=True)
    services.review_plan(actor=county.user("supervisor"), plan=plan, passed=True)
    return services.approve_plan(actor=county.user("office"), plan=plan, decision=decision(county))


def first_entry(plan: Plan) -> PlanEntry:
    entry = plan.entries.order_by("id").first()
    assert entry is not None
    return entry
