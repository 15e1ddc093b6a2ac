"""Fixtures of the filings tests: an approved catalog and plan of the first department (written
directly: the catalog and plans services are tested in their own apps), a second certified inspector,
a superior (province → city) chain above the department, and window times relative to now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.calendar import local_today, local_zone
from qijian.core.testing import County
from qijian.org.models import Department, Inspector, Region
from qijian.plans.models import Plan, PlanEntry


@dataclass
class Setup:
    county: County
    item: CatalogItem
    other_item: CatalogItem
    entry: PlanEntry
    colleague: Inspector
    province: Department
    city: Department

    @property
    def admin(self) -> Any:
        return self.county.user("dept_admin")

    @property
    def pair(self) -> list[Inspector]:
        return [self.county.inspector, self.colleague]


def at(days: float = 1, hour: int = 9) -> dt.datetime:
    """A moment ``days`` from today at ``hour`` o'clock local time."""
    day = local_today() + dt.timedelta(days=int(days))
    return dt.datetime.combine(day, dt.time(hour), tzinfo=local_zone())


def make_catalog(department: Department, prefix: str, number: int = 1) -> CatalogItem:
    version = CatalogVersion.objects.create(
        department=department,
        number=number,
        status="approved",
        effective_from=local_today() - dt.timedelta(days=300),
    )
    return CatalogItem.objects.create(
        version=version,
        code=f"{prefix}-101",
        name="危险化学品安全专项检查",
        law="《危险化学品安全管理条例》",
        article="第六条",
        mode="targeted",
    )


def make_entry(department: Department, item: CatalogItem, status: str = "approved", **extra: Any) -> PlanEntry:
    today = local_today()
    plan, _ = Plan.objects.get_or_create(
        department=department, year=today.year, quarter=(today.month - 1) // 3 + 1, defaults={"status": status}
    )
    fields: dict[str, Any] = {
        "plan": plan,
        "item": item,
        "basis": item.basis,
        "mode": item.mode,
        "window_start": today,
        "window_end": today + dt.timedelta(days=40),
        "expected_count": 2,
    }
    return PlanEntry.objects.create(**(fields | extra))


@pytest.fixture
def setup(county: County) -> Setup:
    return build_setup(county)


def build_setup(county: County) -> Setup:
    province_region = Region.objects.get(code="130000")
    city_region = Region.objects.get(code="130900")
    province = Department.objects.create(
        name="河北省应急管理厅", code="130000-YJ", level="province", region=province_region
    )
    city = Department.objects.create(
        name="沧州市应急管理局", code="130900-YJ", level="city", region=city_region, parent=province
    )
    Department.objects.filter(pk=county.dept.pk).update(parent=city)
    county.dept.refresh_from_db()
    item = make_catalog(county.dept, "YJ")
    other_item = make_catalog(county.other_dept, "HB")
    entry = make_entry(county.dept, item)
    colleague = Inspector.objects.create(
        name="赵六",
        certificate_no="13092100003",
        department=county.dept,
        certificate_valid_from=county.inspector.certificate_valid_from,
        certificate_valid_until=county.inspector.certificate_valid_until,
    )
    return Setup(county, item, other_item, entry, colleague, province, city)
