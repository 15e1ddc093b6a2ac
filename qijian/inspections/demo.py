"""Demo filings for the demo departments, made through the services on the real clock:

- planned filings from the approved 2026 Q4 entries of 县市场监管局, 县应急管理局 and 县生态环境分局,
  with windows in the coming days (an entry must cover the day: otherwise that department is skipped);
- an urgent, complaint-driven filing of 县市场监管局 (it starts now);
- a provincial inspection (河北省应急管理厅) filed by its county counterpart 县应急管理局, whose
  townships are told by mail where they have a notice mailbox;
- one amendment (an inspector replaced) and one cancellation.

Idempotent: nothing is done when the demo admins have filed before. Robust: a department without an
approved entry, catalog, or enough certified inspectors is skipped, and so is a refused filing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from qijian.catalog import queries as catalog_queries
from qijian.core.calendar import local_today, local_zone
from qijian.enterprises.choices import EnterpriseStatus
from qijian.enterprises.models import Enterprise
from qijian.inspections import services
from qijian.inspections.models import Filing
from qijian.org.choices import InspectorStatus
from qijian.org.models import Conflict, Department, Inspector

log = logging.getLogger(__name__)

ADMINS = ("dept_scjg", "dept_yjgl", "dept_sthj")
PROVINCE_YJGL = "130000-YJGLT"
SCAN_LIMIT = 600


def _user(username: str) -> Any:
    from qijian.accounts.models import User

    return User.objects.select_related("department").filter(username=username, is_active=True).first()


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=local_zone())


def _enterprises(item: Any, count: int, targets: Sequence[Enterprise] = (), skip: int = 0) -> list[Enterprise]:
    """Operating enterprises the item applies to (among the entry's targets when it names some)."""
    pool: Any = (
        targets
        or Enterprise.objects.filter(status=EnterpriseStatus.OPERATING)
        .select_related("industry")
        .order_by("id")[:SCAN_LIMIT]
    )
    fitting = [e for e in pool if e.status == EnterpriseStatus.OPERATING and catalog_queries.applies_to(item, e)]
    return fitting[skip : skip + count]


def _inspectors(department: Department, enterprises: Sequence[Enterprise], days: Sequence[dt.date]) -> list[Inspector]:
    conflicted = set(Conflict.objects.filter(enterprise__in=enterprises).values_list("inspector_id", flat=True))
    rows = Inspector.objects.filter(department=department, status=InspectorStatus.ACTIVE).order_by("certificate_no")
    return [i for i in rows if i.pk not in conflicted and all(i.is_certified_on(d) for d in days)][:3]


def _try(label: str, call: Any) -> Filing | None:
    try:
        filing: Filing = call()
    except services.FilingError as exc:
        log.warning("demo filing skipped (%s): %s", label, exc)
        return None
    return filing


def _planned(admin: Any, day: dt.date, skip: int) -> Filing | None:
    from qijian.plans import queries as plan_queries

    entry = plan_queries.approved_entries_for_filing(admin, day).prefetch_related("targets").first()
    if entry is None:
        return None
    enterprises = _enterprises(entry.item, 1, list(entry.targets.all()), skip)
    people = _inspectors(admin.department, enterprises, [day])
    if not enterprises or len(people) < 2:
        return None
    return _try(
        f"planned {admin.username}",
        lambda: services.file_planned(
            actor=admin,
            entry=entry,
            enterprises=enterprises,
            inspectors=people[:2],
            window_start=_at(day, 9),
            window_end=_at(day, 12),
        ),
    )


def _urgent(admin: Any) -> Filing | None:
    item = catalog_queries.effective_items(admin.department_id, local_today()).first()
    if item is None:
        return None
    enterprises = _enterprises(item, 1, skip=7)
    people = _inspectors(admin.department, enterprises, [local_today()])
    if not enterprises or len(people) < 2:
        return None
    return _try(
        "urgent",
        lambda: services.file_urgent(
            actor=admin,
            item=item,
            reason="complaint",
            reason_detail="12345政务服务便民热线转办投诉:群众反映该企业销售过期食品(工单号 CX2026112700318)",
            enterprises=enterprises,
            inspectors=people[:2],
            window_end=dt.datetime.now(dt.UTC) + dt.timedelta(hours=3),
        ),
    )


def _superior(admin: Any) -> Filing | None:
    province = Department.objects.filter(code=PROVINCE_YJGL).first()
    item = catalog_queries.effective_items(admin.department_id, local_today()).first()
    if province is None or item is None:
        return None
    day = local_today() + dt.timedelta(days=5)
    enterprises = _enterprises(item, 2, skip=11)
    people = _inspectors(admin.department, enterprises, [day])
    if not enterprises or len(people) < 2:
        return None
    return _try(
        "superior",
        lambda: services.file_superior_inspection(
            actor=admin,
            superior_department=province,
            item=item,
            enterprises=enterprises,
            inspectors=people[:2],
            window_start=_at(day, 9),
            window_end=_at(day, 16),
        ),
    )


def _amend_and_cancel(admin: Any, filings: list[Filing]) -> None:
    if filings:
        first = filings[0]
        days = [first.window_start.astimezone(local_zone()).date()]
        spare = [i for i in _inspectors(first.department, list(first.enterprises.all()), days)][:3]
        if len(spare) >= 3:
            _try(
                "amend",
                lambda: services.amend_filing(
                    actor=admin, filing=first, inspectors=[spare[0], spare[2]], reason="原执法人员临时抽调参加省厅培训"
                ),
            )
    if len(filings) > 1:
        _try("cancel", lambda: services.cancel_filing(actor=admin, filing=filings[1], reason="企业停产检修,检查顺延"))


def load_demo() -> None:
    admins = [a for a in (_user(name) for name in ADMINS) if a is not None and a.department_id]
    if not admins or Filing.objects.filter(filed_by__in=admins).exists():
        return
    tomorrow = local_today() + dt.timedelta(days=1)
    for admin in admins:
        made = [f for f in (_planned(admin, tomorrow + dt.timedelta(days=n), n) for n in range(2)) if f]
        if admin.username == "dept_scjg":
            _amend_and_cancel(admin, made)
            _urgent(admin)
        if admin.username == "dept_yjgl":
            _superior(admin)
