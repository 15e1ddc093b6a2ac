"""A county ready for joint planning: two departments with approved catalogs and approved plans for
QUARTER whose targeted entries name the same enterprise, and enough certified inspectors.

Plans and catalogs are written directly (their services are tested in their own apps); "today" is
frozen before the quarter (``freeze``) so its days can be planned and filed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.calendar import Quarter
from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.joint import services
from qijian.joint.models import PlanningRun, Proposal
from qijian.org.models import Department, Inspector
from qijian.plans.models import Plan, PlanEntry
from tests.plans.factories import freeze

QUARTER = Quarter(2027, 1)
TODAY = dt.date(2026, 12, 20)


@dataclass
class JointSetup:
    county: County
    items: dict[int, CatalogItem]  # department pk -> its targeted item
    entries: dict[int, PlanEntry]

    @property
    def office(self) -> Any:
        return self.county.user("office")

    def admin(self, department: Department) -> Any:
        return self.county.user("dept_admin" if department == self.county.dept else "dept_admin:other")

    def run(self) -> PlanningRun:
        return services.run_planner(actor=self.office, quarter=QUARTER)

    def proposal(self) -> Proposal:
        return Proposal.objects.filter(enterprise=self.county.enterprise).exclude(status="superseded").get()


def catalog_item(department: Department, prefix: str) -> CatalogItem:
    number = CatalogVersion.objects.filter(department=department).count() + 1
    version = CatalogVersion.objects.create(
        department=department, number=number, status="approved", effective_from=dt.date(2026, 1, 1)
    )
    return CatalogItem.objects.create(
        version=version,
        code=f"{prefix}-201",
        name=f"{department.name}专项检查",
        law="《优化营商环境条例》",
        article="第五十四条",
        mode="targeted",
    )


def approved_entry(
    department: Department, item: CatalogItem, targets: list[Enterprise], *, start: int = 0, days: int = 30
) -> PlanEntry:
    plan, _ = Plan.objects.get_or_create(
        department=department, year=QUARTER.year, quarter=QUARTER.number, defaults={"status": "approved"}
    )
    entry = PlanEntry.objects.create(
        plan=plan,
        item=item,
        basis=item.basis,
        mode="targeted",
        window_start=QUARTER.start + dt.timedelta(days=start),
        window_end=QUARTER.start + dt.timedelta(days=start + days),
        expected_count=len(targets),
    )
    entry.targets.set(targets)
    return entry


def add_inspector(department: Department, number: str) -> Inspector:
    return Inspector.objects.create(
        name=f"联合人员{number}",
        certificate_no=f"130921J{number}",
        department=department,
        certificate_valid_from=dt.date(2025, 1, 1),
        certificate_valid_until=dt.date(2029, 12, 31),
    )


def joint_setup(county: County, monkeypatch: pytest.MonkeyPatch) -> JointSetup:
    freeze(monkeypatch, TODAY)
    items, entries = {}, {}
    for department, prefix in ((county.dept, "YJ"), (county.other_dept, "HB")):
        items[department.pk] = catalog_item(department, prefix)
        entries[department.pk] = approved_entry(department, items[department.pk], [county.enterprise])
        for k in range(2):
            add_inspector(department, f"{prefix}{k}")
    return JointSetup(county, items, entries)
