"""Demo follow-ups (回访), through the services, after the check-ins demo (whose check-outs created them):

- the demo supervisor (李建国, ``supervisor``) records two of 县应急管理局's visits as done — one by phone,
  one by a visit — each the day after the inspection; the other demo follow-ups stay pending;
- one overdue follow-up: 县应急管理局 filed an urgent (complaint-driven) inspection nine days ago and
  inspector2 visited that morning; nobody has followed it up, so the sweep raises R10 now (the daily
  sweep would raise it tonight).

Time (demo-only path, like ``qijian.checkins.demo.visiting_at``): the past visit runs with the filing and
check-in services' clocks set nine days back, and each recorded follow-up with the follow-up service's
clock set to the day after its visit; audit events keep the loading time (the audit clock never moves).

Idempotent: the past visit has a fixed idempotency key and filing text; done follow-ups are skipped;
the sweep raises each alert once. Robust: a missing account, item, enterprise or colleague, or a refusal,
skips that part with a log line.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from qijian.catalog import queries as catalog_queries
from qijian.checkins import services as checkins
from qijian.checkins.demo import SPOT, visiting_at
from qijian.checkins.models import CheckIn
from qijian.core.calendar import local_today, local_zone
from qijian.enterprises.choices import EnterpriseStatus
from qijian.enterprises.models import Enterprise
from qijian.evaluations.choices import FollowUpStatus
from qijian.evaluations.models import FollowUp
from qijian.evaluations.services import followups as services
from qijian.evaluations.services.followup_sweep import sweep_follow_ups
from qijian.inspections import services as inspections
from qijian.inspections.models import Filing
from qijian.org.choices import InspectorStatus
from qijian.org.models import Conflict, Inspector

log = logging.getLogger(__name__)

PAST_KEY = "demo-followup-past-visit"
PAST_DAYS = 9
PAST_DETAIL = "12345政务服务便民热线转办投诉:群众反映该企业夜间违规动火作业(工单号 CX2026111800217)"
RECORDS = (
    (
        "demo-checkin-yjgl-no-problem",
        "phone",
        "电话回访企业负责人:检查人员两人到场并出示执法证件,按报备事项检查,用时约一个半小时,"
        "未影响正常生产;无吃拿卡要情况。企业对本次检查表示满意,建议提前告知需准备的台账资料。",
    ),
    (
        "demo-checkin-yjgl-case",
        "visit",
        "上门回访:企业承认未按规定设置安全警示标志,已于检查次日补设;对立案处理无异议。"
        "企业反映检查人员态度规范,检查未超出报备事项范围。",
    ),
)


def _user(username: str) -> Any:
    from qijian.accounts.models import User

    return User.objects.select_related("inspector").filter(username=username, is_active=True).first()


@contextmanager
def _filing_clock(moment: dt.datetime) -> Iterator[None]:
    """Run the filing services as if the server's clock read ``moment`` (demo data only)."""
    from qijian.inspections.services import filing as filing_module
    from qijian.inspections.services import writing as writing_module

    saved = (filing_module._now, writing_module._now)
    filing_module._now = writing_module._now = lambda: moment  # type: ignore[assignment]
    try:
        yield
    finally:
        filing_module._now, writing_module._now = saved  # type: ignore[assignment]


@contextmanager
def _follow_up_clock(moment: dt.datetime) -> Iterator[None]:
    saved = services._now
    services._now = lambda: moment  # type: ignore[assignment]
    try:
        yield
    finally:
        services._now = saved  # type: ignore[assignment]


# --- the overdue one: a visit nine days ago ----------------------------------------------------------------


def _companion(inspector: Inspector, enterprise: Enterprise, day: dt.date) -> Inspector | None:
    conflicted = Conflict.objects.filter(enterprise=enterprise).values("inspector_id")
    rows = Inspector.objects.filter(department_id=inspector.department_id, status=InspectorStatus.ACTIVE)
    rows = rows.exclude(pk=inspector.pk).exclude(pk__in=conflicted).order_by("certificate_no")
    return next((i for i in rows if i.is_certified_on(day)), None)


def _unvisited_enterprise(item: Any) -> Enterprise | None:
    filed = Filing.enterprises.through.objects.values("enterprise_id")
    rows = Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).exclude(pk__in=filed)
    return next(
        (e for e in rows.select_related("industry").order_by("id")[:300] if catalog_queries.applies_to(item, e)), None
    )


def _past_filing(admin: Any, inspector: Inspector, moment: dt.datetime) -> tuple[Filing, Inspector] | None:
    found = Filing.objects.filter(reason_detail=PAST_DETAIL).prefetch_related("inspectors", "enterprises").first()
    if found is not None:
        others = [i for i in found.inspectors.all() if i.pk != inspector.pk]
        return (found, others[0]) if others else None
    item = catalog_queries.effective_items(admin.department_id, moment.astimezone(local_zone()).date()).first()
    enterprise = _unvisited_enterprise(item) if item is not None else None
    companion = _companion(inspector, enterprise, moment.date()) if enterprise is not None else None
    if item is None or enterprise is None or companion is None:
        log.warning("demo follow-up: no item, enterprise or colleague for the past visit")
        return None
    with _filing_clock(moment):
        filing = inspections.file_urgent(
            actor=admin,
            item=item,
            reason="complaint",
            reason_detail=PAST_DETAIL,
            enterprises=[enterprise],
            inspectors=[inspector, companion],
            window_end=moment + dt.timedelta(hours=4),
        )
    return filing, companion


def _past_visit() -> None:
    user, admin = _user("inspector2"), _user("dept_yjgl")
    if (
        user is None
        or admin is None
        or not user.inspector_id
        or CheckIn.objects.filter(idempotency_key=PAST_KEY).exists()
    ):
        return
    day = local_today() - dt.timedelta(days=PAST_DAYS)
    moment = dt.datetime.combine(day, dt.time(9, 30), tzinfo=local_zone())
    try:
        made = _past_filing(admin, user.inspector, moment)
        if made is not None:
            _visit(user, made[0], made[1], moment)
    except (inspections.FilingError, checkins.CheckInError) as exc:
        log.warning("demo follow-up: the past visit was skipped: %s", exc)


def _visit(user: Any, filing: Filing, companion: Inspector, moment: dt.datetime) -> None:
    enterprise = filing.enterprises.all()[0]
    with visiting_at(moment + dt.timedelta(minutes=20)):
        row, _ = checkins.record_checkin(
            actor=user, idempotency_key=PAST_KEY, enterprise=enterprise, companions=[companion], **SPOT
        )
    with visiting_at(moment + dt.timedelta(hours=2)):
        checkins.check_out(
            actor=user, checkin=row, result="no_problem", note="现场未发现违规动火作业,动火审批记录齐全。"
        )


# --- done ones ---------------------------------------------------------------------------------------------


def _record(supervisor: Any, key: str, method: str, findings: str) -> None:
    follow_up = FollowUp.objects.filter(checkin__idempotency_key=key, status=FollowUpStatus.PENDING).first()
    if follow_up is None:
        return
    moment = dt.datetime.combine(follow_up.inspected_on + dt.timedelta(days=1), dt.time(10), tzinfo=local_zone())
    try:
        with _follow_up_clock(moment):
            services.record_follow_up(actor=supervisor, follow_up=follow_up, method=method, findings=findings)
    except services.FollowUpError as exc:
        log.warning("demo follow-up %s skipped: %s", key, exc)


def load_demo() -> None:
    """Build this part's demo data; a second call adds nothing."""
    supervisor = _user("supervisor")
    if supervisor is None:
        return
    _past_visit()
    for key, method, findings in RECORDS:
        _record(supervisor, key, method, findings)
    sweep_follow_ups(local_today())
