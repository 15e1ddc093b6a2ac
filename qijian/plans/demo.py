"""Demo plans for 县市场监管局, 县应急管理局 and 县生态环境分局 (the demo's department admins).

- the 2026 annual random plan (random coordinator), approved at the 2026 Q1 joint meeting;
- approved 2026 Q4 quarterly plans with random and targeted entries, a joint entry (应急 with 生态环境)
  and a multi-level entry carried out by the city-level counterpart (沧州市应急管理局);
- 2027 Q1: 县应急管理局's plan in draft, 县生态环境分局's submitted and awaiting review;
- work reports on 2026 Q3.

Demo-only path: the services judge windows by ``qijian.core.calendar.local_today()``; the demo runs
each step "as of" a day inside its window (``as_of``), so every rule is applied and every write is
audited as usual. The stamps the services take from the clock (submitted/reviewed/approved times) are
then moved back to those days with one queryset update per plan, as the catalog demo does. The
2027 Q1 submission is made as of the first day of its window (2026-12-18), ahead of the real date.
Idempotent: an existing plan or work report is left alone; a department without an effective catalog
is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from qijian.catalog import queries as catalog_queries
from qijian.catalog.models import CatalogItem
from qijian.core import calendar
from qijian.core.calendar import Quarter, local_zone
from qijian.plans import services
from qijian.plans.choices import PlanKind
from qijian.plans.models import Plan, WorkReport

SCJG, YJGL, STHJ = "130921-SCJGJ", "130921-YJGLJ", "130921-STHJ"
CITY_YJGL = "130900-YJGLJ"
Q4_2026, Q1_2027, Q3_2026 = Quarter(2026, 4), Quarter(2027, 1), Quarter(2026, 3)
ANNUAL_YEAR = 2026
PLAN_MEETING = (
    "2026年第三季度涉企行政检查工作联席会议",
    dt.date(2026, 9, 29),
    "审定各部门2026年第四季度涉企行政检查计划。",
)
ANNUAL_MEETING = (
    "2026年第一季度涉企行政检查工作联席会议",
    dt.date(2026, 1, 29),
    "审定2026年度部门联合“双随机、一公开”抽查计划,由县市场监管局牵头组织实施。",
)


@contextmanager
def as_of(day: dt.date) -> Iterator[None]:
    """Run services as if today were ``day`` (demo data only)."""
    original = calendar.local_today
    calendar.local_today = lambda: day  # type: ignore[assignment]
    try:
        yield
    finally:
        calendar.local_today = original  # type: ignore[assignment]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=local_zone())


# --- people, decisions, catalog items -----------------------------------------------------------------


def _user(username: str) -> Any:
    from qijian.accounts.models import User

    return User.objects.get(username=username)


def _admin(department: Any) -> Any:
    from qijian.accounts.models import User

    return User.objects.filter(role="dept_admin", department=department, is_active=True).order_by("id").first()


def _decision(spec: tuple[str, dt.date, str], subject: str) -> Any:
    from qijian.meetings.models import Decision
    from qijian.meetings.services import record_decision, record_meeting

    title, held_on, text = spec
    found = Decision.objects.filter(meeting__title=title, subject=subject).first()
    if found is not None:
        return found
    office = _user("office")
    meeting = record_meeting(actor=office, title=title, held_on=held_on, kind="quarterly")
    return record_decision(actor=office, meeting=meeting, subject=subject, text=text)


def _items(department: Any, on: dt.date) -> dict[str, CatalogItem]:
    return {i.code: i for i in catalog_queries.effective_items(department.pk, on).select_related("version")}


def _targets(item: CatalogItem, count: int) -> list[Any]:
    from qijian.enterprises.models import Enterprise

    candidates = Enterprise.objects.filter(status="operating").select_related("industry").order_by("id")[:3000]
    return [e for e in candidates if catalog_queries.applies_to(item, e)][:count]


# --- entries ------------------------------------------------------------------------------------------


def _random_entry(item: CatalogItem, quarter: Quarter, share: str) -> dict[str, Any]:
    return {
        "item": item,
        "window_start": quarter.start + dt.timedelta(days=14),
        "window_end": quarter.end - dt.timedelta(days=10),
        "expected_count": 12,
        "target_rule": f"从适用行业在营企业中随机抽取{share}",
    }


def _targeted_entry(item: CatalogItem, quarter: Quarter, **extra: Any) -> dict[str, Any]:
    targets = _targets(item, 2)
    fields = {
        "item": item,
        "window_start": quarter.start + dt.timedelta(days=20),
        "window_end": quarter.start + dt.timedelta(days=50),
        "expected_count": max(len(targets), 1),
        "targets": targets,
        "target_rule": "" if targets else "上季度检查发现问题的企业",
        "method": item.method,
    }
    return fields | extra


def _entries(code: str, items: dict[str, CatalogItem], quarter: Quarter) -> list[dict[str, Any]]:
    from qijian.org.models import Department

    prefix = {SCJG: "SC", YJGL: "YJ", STHJ: "HB"}[code]
    rows = []
    if f"{prefix}-001" in items:
        rows.append(_random_entry(items[f"{prefix}-001"], quarter, "5%"))
    targeted = [i for i in items.values() if i.mode == "targeted"]
    if targeted:
        rows.append(_targeted_entry(targeted[0], quarter, note="依据上季度风险监测结果"))
    if code == YJGL and f"{prefix}-002" in items:
        partner = Department.objects.filter(code=STHJ).first()
        if partner is not None:
            joint = _random_entry(items[f"{prefix}-002"], quarter, "3%") | {"joint": True, "partners": [partner]}
            rows.append(joint | {"note": "“综合查一次”联合检查"})
        city = Department.objects.filter(code=CITY_YJGL).first()
        if city is not None and targeted:
            rows.append(_multi_level(targeted[-1], quarter, city))
    return rows


def _multi_level(item: CatalogItem, quarter: Quarter, city: Any) -> dict[str, Any]:
    return _targeted_entry(item, quarter) | {
        "level": "city",
        "implementing_department": city,
        "multi_level_joint": True,
        "participants": "沧州市应急管理局、县应急管理局",
        "township_notice": "检查前3日通知企业所在乡镇人民政府",
        "acceptance_plan": "检查后如需入企勘察验收,最多一次",
        "window_start": quarter.start + dt.timedelta(days=35),
        "window_end": quarter.start + dt.timedelta(days=45),
    }


# --- plans --------------------------------------------------------------------------------------------


def _draft(department: Any, quarter: Quarter) -> Plan | None:
    """The department's plan for ``quarter`` with its entries, or None if it exists or cannot be made."""
    admin, items = _admin(department), _items(department, quarter.start)
    if (
        admin is None
        or not items
        or Plan.objects.filter(
            kind=PlanKind.QUARTERLY, department=department, year=quarter.year, quarter=quarter.number
        ).exists()
    ):
        return None
    plan = services.create_plan(actor=admin, department=department, year=quarter.year, quarter=quarter.number)
    for fields in _entries(department.code, items, quarter):
        services.add_entry(actor=admin, plan=plan, **fields)
    return plan


def _review(plan: Plan) -> None:
    for username in ("random", "supervisor"):
        reviewer = _user(username)
        part = "random_review" if reviewer.role == "random_coordinator" else "targeted_review"
        if getattr(plan, part) == "pending":
            services.review_plan(actor=reviewer, plan=plan, passed=True, comment="经审核,符合要求")


def _approved_q4(department: Any, decision: Any) -> None:
    window = calendar.plan_window(Q4_2026)
    with as_of(window.opens + dt.timedelta(days=5)):
        plan = _draft(department, Q4_2026)
        if plan is None:
            return
        services.submit_plan(actor=_admin(department), plan=plan)
        _review(plan)
        services.approve_plan(actor=_user("office"), plan=plan, decision=decision)
    _backdate(plan, window.opens + dt.timedelta(days=5), decision.meeting.held_on)


def _backdate(plan: Plan, submitted: dt.date, approved: dt.date) -> None:
    reviewed = submitted + dt.timedelta(days=2)
    Plan.objects.filter(pk=plan.pk).update(
        submitted_at=_at(submitted, 10),
        random_reviewed_at=_at(reviewed, 9) if plan.random_reviewed_at else None,
        targeted_reviewed_at=_at(reviewed, 15) if plan.targeted_reviewed_at else None,
        approved_at=_at(approved, 17),
    )


def _annual_plan(decision: Any) -> None:
    from qijian.org.models import Department

    department = Department.objects.filter(code=SCJG).first()
    coordinator = _user("random")
    if (
        department is None
        or Plan.objects.filter(kind=PlanKind.ANNUAL_RANDOM, department=department, year=ANNUAL_YEAR).exists()
    ):
        return
    with as_of(dt.date(ANNUAL_YEAR, 1, 20)):
        plan = services.create_plan(
            actor=coordinator, department=department, year=ANNUAL_YEAR, quarter=None, kind=PlanKind.ANNUAL_RANDOM
        )
        for fields in _annual_entries():
            services.add_entry(actor=coordinator, plan=plan, **fields)
        services.submit_plan(actor=coordinator, plan=plan)
        services.approve_plan(actor=_user("office"), plan=plan, decision=decision)
    Plan.objects.filter(pk=plan.pk).update(
        submitted_at=_at(dt.date(ANNUAL_YEAR, 1, 20), 10),
        random_reviewed_at=_at(dt.date(ANNUAL_YEAR, 1, 20), 10),
        approved_at=_at(decision.meeting.held_on, 17),
    )


def _annual_entries() -> list[dict[str, Any]]:
    """One random item of each demo department, over the spring and the autumn."""
    from qijian.org.models import Department

    rows = []
    for n, code in enumerate((SCJG, YJGL, STHJ)):
        department = Department.objects.filter(code=code).first()
        items = _items(department, dt.date(ANNUAL_YEAR, 3, 1)) if department else {}
        random_items = [i for i in items.values() if i.mode == "random"]
        if random_items:
            start = dt.date(ANNUAL_YEAR, 3 + 3 * n, 1)
            rows.append(
                {
                    "item": random_items[0],
                    "window_start": start,
                    "window_end": start + dt.timedelta(days=60),
                    "expected_count": 20,
                    "target_rule": "按行业在营企业随机抽取3%,检查人员随机选派",
                }
            )
    return rows


def _q1_2027(departments: dict[str, Any]) -> None:
    if YJGL in departments:
        _draft(departments[YJGL], Q1_2027)  # stays a draft
    if STHJ in departments:
        with as_of(calendar.plan_window(Q1_2027).opens):
            plan = _draft(departments[STHJ], Q1_2027)
            if plan is not None:
                services.submit_plan(actor=_admin(departments[STHJ]), plan=plan)


WORK_REPORT_TEXT = (
    "{name}2026年第三季度共开展涉企行政检查{n}户次,其中“双随机”抽查{r}户次、联合检查{j}户次;"
    "所有检查均已提前报备,入企扫码率100%;对轻微违法行为适用免罚清单{k}件。下季度将继续压减非“双随机”检查频次。"
)


def _reporting_departments() -> list[Any]:
    """Every county enforcement department but the last two by code: those "forget" (an R11 for the office)."""
    from qijian.org.models import Department

    county = Department.objects.filter(level="county", is_enforcement=True).order_by("code")
    return list(county)[:-2]


def _work_reports(departments: list[Any]) -> None:
    due = calendar.work_report_due(Q3_2026)
    for n, department in enumerate(departments):
        admin = _admin(department)
        exists = WorkReport.objects.filter(department=department, year=2026, quarter=3).exists()
        if admin is None or exists:
            continue
        day = due - dt.timedelta(days=3 + n % 10)
        text = WORK_REPORT_TEXT.format(
            name=department.name, n=18 + 7 * n % 40, r=10 + 3 * n % 20, j=4 + n % 9, k=2 + n % 5
        )
        with as_of(day):
            report = services.submit_work_report(actor=admin, department=department, year=2026, quarter=3, text=text)
        WorkReport.objects.filter(pk=report.pk).update(submitted_at=_at(day, 16))


@transaction.atomic
def load_demo() -> None:
    """Build the demo plans (needs the core, meetings and catalog demos)."""
    from qijian.org.models import Department

    departments = Department.objects.in_bulk([SCJG, YJGL, STHJ], field_name="code")
    _annual_plan(_decision(ANNUAL_MEETING, "annual_random_plan"))
    plan_decision = _decision(PLAN_MEETING, "plan")
    for department in departments.values():
        _approved_q4(department, plan_decision)
    _q1_2027(departments)
    _work_reports(_reporting_departments())
