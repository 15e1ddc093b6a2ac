"""Access-matrix rows of this app's routes (see tests/access_rules/__init__.py).

Filings: the overseers see every filing (the office also changes through services that check the
role); a department admin its own department's; an inspector the filings naming it; an enterprise
the filings naming it. Only department admins file, amend and cancel.
"""

from __future__ import annotations

import datetime as dt

from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.calendar import local_today
from qijian.core.testing import County
from qijian.inspections.models import Filing
from qijian.org.models import Department, Region
from tests.access_rules_base import Rule, _pk, api, page, roles

READERS = roles("office", "supervisor", "random_coordinator", "dept_admin", "inspector", "enterprise")
SCOPED = roles("dept_admin", "inspector", "enterprise")
ADMINS = roles("dept_admin")


def _number(c: County) -> str:
    return str(c.filing.number)  # type: ignore[attr-defined]


TABLE: dict[str, Rule] = {
    "inspections:list": page(READERS, scoped=SCOPED, marker=_number),
    "inspections:detail": page(READERS, scoped=SCOPED, obj=_pk("filing")),
    "inspections:planned_create": page(ADMINS, writers=ADMINS),
    "inspections:urgent_create": page(ADMINS, writers=ADMINS),
    "inspections:superior_create": page(ADMINS, writers=ADMINS),
    "inspections:acceptance_create": page(ADMINS, scoped=ADMINS, obj=_pk("superior_filing"), writers=ADMINS),
    "inspections:amend": page(ADMINS, scoped=ADMINS, obj=_pk("filing"), writers=ADMINS),
    "inspections:cancel": page(ADMINS, scoped=ADMINS, obj=_pk("filing"), writers=ADMINS),
    "api:filing-list": api(READERS, scoped=SCOPED, marker=_number),
    "api:filing-detail": api(READERS, scoped=SCOPED, obj=_pk("filing")),
    "api:filing-planned": api(READERS, post_only=True, writers=ADMINS),
    "api:filing-urgent": api(READERS, post_only=True, writers=ADMINS),
    "api:filing-amend": api(READERS, scoped=ADMINS, obj=_pk("filing"), post_only=True, writers=ADMINS),
    "api:filing-cancel": api(READERS, scoped=ADMINS, obj=_pk("filing"), post_only=True, writers=ADMINS),
}


def populate(county: County) -> None:
    """An urgent filing and a superior-inspection filing of the first department, naming the first
    enterprise and the first inspector only (written directly: the services are tested in tests/inspections)."""
    number = (CatalogVersion.objects.filter(department=county.dept).count() or 0) + 100
    version = CatalogVersion.objects.create(
        department=county.dept, number=number, status="approved", effective_from=local_today() - dt.timedelta(days=30)
    )
    item = CatalogItem.objects.create(
        version=version, code="MXF-001", name="矩阵报备事项", law="《安全生产法》", mode="targeted"
    )
    province = Department.objects.create(
        name="矩阵省厅", code="MX-PROV", level="province", region=Region.objects.get(code="130000")
    )
    now = dt.datetime.now(dt.UTC)
    common = {"department": county.dept, "item": item, "filed_by": county.user("dept_admin"), "filed_at": now}
    county.filing = _filing(county, "BB20991231-0001", kind="urgent", urgent_reason="complaint", **common)  # type: ignore[attr-defined]
    county.superior_filing = _filing(county, "BB20991231-0002", kind="planned", superior_department=province, **common)  # type: ignore[attr-defined]


def _filing(county: County, number: str, **fields: object) -> Filing:
    now = dt.datetime.now(dt.UTC)
    filing = Filing.objects.create(
        number=number, window_start=now + dt.timedelta(days=1), window_end=now + dt.timedelta(days=2), **fields
    )
    filing.enterprises.set([county.enterprise])
    filing.inspectors.set([county.inspector])
    return filing
