"""Demo check-ins (入企扫码) on the demo filings, made through the services as the demo inspectors:

- inspector1 (县市场监管局): a visit in progress on the urgent complaint filing (it covers the loading
  moment), a completed visit on the amended planned filing (problems found, rectification deadline,
  a photo), and one scan at an enterprise with no filing, which raises the critical R01 alert;
- inspector2 (县应急管理局): completed visits on its planned filings (no problem with a photo — at
  enterprise1's enterprise, so the enterprise account has a trace to read — and a case opened), and an
  offline replay on the provincial inspection: the phone queued the scan without signal and sent it
  later (``source="offline"``, the phone's time inside the window), then sent it once more (the
  server returns the same record).

Time (demo-only path, like ``qijian.plans.demo.as_of``): the demo filings' windows lie in the coming
days, and a check-in takes the server's clock, so each visit runs with the check-in services' clock
set to a moment inside its filing's window (``visiting_at``). Visits are therefore dated in their
filings' windows while their audit events carry the loading time (the audit clock is never moved);
the in-progress visit and the unfiled scan use the real clock.

Idempotent: each visit has a fixed idempotency key ("demo-…"); a visit whose key exists is skipped.
Robust: a missing account, filing or companion, or a refusal, skips that visit with a log line.
"""

from __future__ import annotations

import datetime as dt
import logging
import struct
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from qijian.checkins import services
from qijian.checkins.models import CheckIn
from qijian.checkins.services import checkin as checkin_module
from qijian.checkins.services import checkout as checkout_module
from qijian.core import calendar
from qijian.enterprises.choices import EnterpriseStatus
from qijian.enterprises.models import Enterprise
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing

log = logging.getLogger(__name__)

KEY_PREFIX = "demo-checkin-"
SPOT: dict[str, Any] = {"latitude": "38.293100", "longitude": "116.876500", "accuracy_m": 15}  # 沧县 county seat


@contextmanager
def visiting_at(moment: dt.datetime) -> Iterator[None]:
    """Run the check-in services as if the server's clock read ``moment`` (demo data only)."""
    day = moment.astimezone(calendar.local_zone()).date()
    saved = (checkin_module._now, checkout_module._now, checkout_module.local_today, calendar.local_today)
    checkin_module._now = checkout_module._now = lambda: moment  # type: ignore[assignment]
    checkout_module.local_today = calendar.local_today = lambda: day  # type: ignore[assignment]
    try:
        yield
    finally:
        checkin_module._now, checkout_module._now, checkout_module.local_today, calendar.local_today = saved  # type: ignore[assignment]


def demo_png(width: int = 48, height: int = 32) -> bytes:
    """A small valid PNG (a grey-blue gradient) standing for an on-site photo."""
    line = b"\x00" + b"".join(bytes((x * 5 % 256, 96, 160)) for x in range(width))
    rows = line * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@dataclass(frozen=True)
class VisitPlan:
    """One demo visit: at ``after`` into the filing's window, checked out ``stay`` later (None: in progress)."""

    key: str
    after: dt.timedelta
    stay: dt.timedelta | None
    result: str = ""
    deadline_days: int | None = None
    note: str = ""
    photo: str = ""
    offline_lead: dt.timedelta | None = None  # the phone recorded the scan this long before sending it


def _user(username: str) -> Any:
    from qijian.accounts.models import User

    return User.objects.select_related("inspector").filter(username=username, is_active=True).first()


def _filings(user: Any) -> list[Filing]:
    """ACTIVE filings naming the account's inspector, soonest first."""
    if user is None or not user.inspector_id:
        return []
    qs = Filing.objects.filter(status=FilingStatus.ACTIVE, inspectors=user.inspector_id)
    return list(qs.prefetch_related("inspectors", "enterprises").order_by("window_start", "pk"))


def _companions(user: Any, filing: Filing) -> list[Any]:
    return [i for i in filing.inspectors.all() if i.pk != user.inspector_id][:1]


def _skip(key: str, why: str) -> None:
    log.warning("demo check-in %s skipped: %s", key, why)


def _visit(user: Any, filing: Filing, plan: VisitPlan) -> CheckIn | None:
    key = KEY_PREFIX + plan.key
    if CheckIn.objects.filter(idempotency_key=key).exists():
        return None
    moment = filing.window_start + plan.after
    if not filing.window_start <= moment <= filing.window_end:
        _skip(key, "the moment falls outside the filing's window")
        return None
    try:
        return _record(user, filing, plan, key, moment)
    except services.CheckInError as exc:
        _skip(key, str(exc))
        return None


def _record(user: Any, filing: Filing, plan: VisitPlan, key: str, moment: dt.datetime) -> CheckIn:
    enterprise = filing.enterprises.all()[0]
    people = _companions(user, filing)
    offline = plan.offline_lead is not None
    server_time = moment + (plan.offline_lead or dt.timedelta())
    fields: dict[str, Any] = {"idempotency_key": key, "enterprise": enterprise, "companions": people, **SPOT}
    if offline:
        fields |= {"source": "offline", "client_time": moment}
    with visiting_at(server_time):
        row, _ = services.record_checkin(actor=user, **fields)
        if offline:  # the phone sends its queue once more: the server keeps the one record
            services.record_checkin(actor=user, **fields)
    if plan.photo:
        with visiting_at(server_time + dt.timedelta(minutes=30)):
            upload = SimpleUploadedFile(plan.photo, demo_png(), content_type="image/png")
            services.add_attachment(actor=user, checkin=row, upload=upload)
    if plan.stay is not None:
        _leave(user, row, plan, server_time + plan.stay)
    return row


def _leave(user: Any, row: CheckIn, plan: VisitPlan, at: dt.datetime) -> None:
    day = at.astimezone(calendar.local_zone()).date()
    deadline = day + dt.timedelta(days=plan.deadline_days) if plan.deadline_days else None
    with visiting_at(at):
        services.check_out(actor=user, checkin=row, result=plan.result, rectification_deadline=deadline, note=plan.note)


def _in_progress(user: Any, filing: Filing) -> None:
    """A visit happening now, on the real clock (only while the filing's window is open)."""
    key = KEY_PREFIX + "urgent-in-progress"
    now = dt.datetime.now(dt.UTC)
    if CheckIn.objects.filter(idempotency_key=key).exists() or not filing.window_start <= now <= filing.window_end:
        return
    people = _companions(user, filing)
    enterprise = filing.enterprises.all()[0]
    try:
        services.record_checkin(actor=user, idempotency_key=key, enterprise=enterprise, companions=people, **SPOT)
    except services.CheckInError as exc:
        _skip(key, str(exc))


def _unfiled(user: Any) -> None:
    """A scan at an operating enterprise no filing names: stored, and R01 is raised (real clock)."""
    key = KEY_PREFIX + "unfiled"
    if user is None or CheckIn.objects.filter(idempotency_key=key).exists():
        return
    filed = Filing.enterprises.through.objects.values("enterprise_id")
    target = Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).exclude(pk__in=filed).order_by("pk")[:1]
    if not target:
        return
    try:
        services.record_checkin(actor=user, idempotency_key=key, enterprise=target[0], source="typed", **SPOT)
    except services.CheckInError as exc:
        _skip(key, str(exc))


H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
SCJG_VISITS = [
    VisitPlan(
        "scjg-problems",
        40 * M,
        2 * H,
        result="problems",
        deadline_days=30,
        note="冷库温度记录不全,部分预包装食品标签不合格,责令三十日内整改。",
        photo="冷库现场.png",
    ),
]
YJGL_VISITS = [
    VisitPlan(
        "yjgl-no-problem",
        30 * M,
        90 * M,
        result="no_problem",
        note="安全生产台账齐全,未发现问题。",
        photo="现场检查.png",
    ),
    VisitPlan(
        "yjgl-case",
        45 * M,
        2 * H,
        result="case_opened",
        note="发现未按规定设置安全警示标志且拒不整改,已依法立案。",
    ),
    VisitPlan(
        "yjgl-offline", 90 * M, 3 * H, result="no_problem", note="厂区无信号,离线记录后补传。", offline_lead=2 * H
    ),
]


def _run(user: Any, plans: list[VisitPlan], filings: list[Filing], pick: Callable[[Filing], bool]) -> None:
    chosen = [f for f in filings if pick(f)]
    for plan, filing in zip(plans, chosen, strict=False):
        _visit(user, filing, plan)


def load_demo() -> None:
    inspector1, inspector2 = _user("inspector1"), _user("inspector2")
    scjg = _filings(inspector1)
    for filing in scjg:
        if filing.kind == "urgent":
            _in_progress(inspector1, filing)
    _run(inspector1, SCJG_VISITS, scjg, lambda f: f.kind == "planned")
    _run(inspector2, YJGL_VISITS, _filings(inspector2), lambda f: True)
    _unfiled(inspector1)
