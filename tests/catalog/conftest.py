from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.catalog import services
from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.calendar import local_today
from qijian.core.testing import County
from qijian.meetings.models import Decision
from qijian.meetings.services import record_decision, record_meeting


def item_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "code": "YJ-001",
        "name": "安全生产主体责任落实情况检查",
        "law": "《中华人民共和国安全生产法》",
        "article": "第六十五条",
        "standard": "安全生产责任制、隐患排查治理台账",
        "mode": "random",
        "method": "onsite",
        "joinable": True,
        "industries": [],
        "enterprise_types": [],
    }
    return fields | overrides


def make_decision(county: County, subject: str = "catalog") -> Decision:
    office = county.user("office")
    meeting = record_meeting(actor=office, title="第四季度联席会议", held_on=dt.date(2025, 12, 20), kind="quarterly")
    return record_decision(actor=office, meeting=meeting, subject=subject, text="审定各部门检查事项清单")


def draft_with_item(county: County, **overrides: Any) -> tuple[CatalogVersion, CatalogItem]:
    admin = county.user("dept_admin")
    version = services.create_version(actor=admin, department=county.dept)
    item = services.add_item(actor=admin, version=version, **item_fields(**overrides))
    return version, item


def approved_version(county: County, effective_from: dt.date | None = None) -> CatalogVersion:
    version, _ = draft_with_item(county)
    services.submit_catalog(actor=county.user("dept_admin"), version=version)
    return services.approve_catalog(
        actor=county.user("office"),
        version=version,
        decision=make_decision(county),
        effective_from=effective_from or local_today(),
    )


@pytest.fixture
def decision(county: County) -> Decision:
    return make_decision(county)
