"""Test objects built directly (not through the filing / plan services, which other parts own)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.calendar import local_zone
from qijian.core.testing import County
from qijian.inspections.models import Filing
from qijian.org.models import Department

_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=local_zone())


def make_item(department: Department, *, mode: str = "targeted", code: str = "") -> CatalogItem:
    version, _ = CatalogVersion.objects.get_or_create(department=department, number=1, defaults={"status": "approved"})
    code = code or f"{department.code}-{mode}"
    item, _ = CatalogItem.objects.get_or_create(
        version=version, code=code, defaults={"name": f"检查事项{code}", "law": "《安全生产法》", "mode": mode}
    )
    return item


def make_filing(
    county: County,
    *,
    day: dt.date,
    department: Department | None = None,
    enterprises: list[Any] | None = None,
    urgent_reason: str = "",
    mode: str = "targeted",
    **extra: Any,
) -> Filing:
    department = department or county.dept
    start = at(day)
    filing = Filing.objects.create(
        number=f"BB{next(_numbers):06d}",
        department=department,
        kind="urgent" if urgent_reason else "planned",
        urgent_reason=urgent_reason,
        item=make_item(department, mode=mode),
        window_start=start,
        window_end=start + dt.timedelta(hours=4),
        filed_at=start - dt.timedelta(days=1),
        filed_by=county.user("dept_admin"),
        **extra,
    )
    filing.enterprises.set(enterprises or [county.enterprise])
    filing.inspectors.set([county.inspector])
    return filing
