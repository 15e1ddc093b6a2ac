"""Check-in services: check-out with the result."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from qijian.accounts.choices import Role
from qijian.audit.services import record_event
from qijian.catalog.choices import InspectionMethod
from qijian.checkins.choices import CheckInResult, CheckInStatus
from qijian.checkins.models import CheckIn
from qijian.checkins.services.base import CheckInError, _now
from qijian.checkins.signals import checked_out
from qijian.core.calendar import local_today

# --- check-out -----------------------------------------------------------------------------------------


def _require_visitor(actor: Any, checkin: CheckIn) -> None:
    inspector_id = getattr(actor, "inspector_id", None) if getattr(actor, "role", None) == Role.INSPECTOR else None
    if inspector_id is None:
        raise CheckInError("只有本次入企的执法人员可以办理。")
    if inspector_id != checkin.inspector_id and not checkin.companions.filter(pk=inspector_id).exists():
        raise CheckInError("只有扫码的执法人员或其同行执法人员可以办理本次检查的离开和结果登记。")


def _check_result(result: str, deadline: dt.date | None) -> dt.date | None:
    if result not in CheckInResult.values:
        raise CheckInError("检查结果应为未发现问题、发现问题限期整改或立案查处。")
    if result != CheckInResult.PROBLEMS:
        return None
    if deadline is None:
        raise CheckInError("发现问题的,须填写整改期限。")
    if deadline <= local_today():
        raise CheckInError("整改期限须晚于今天。")
    return deadline


@transaction.atomic
def check_out(
    *,
    actor: Any,
    checkin: CheckIn,
    result: str,
    rectification_deadline: dt.date | None = None,
    note: str = "",
    method: str | None = None,
) -> CheckIn:
    """Record the result and the leaving time (the server's) of a check-in."""
    _require_visitor(actor, checkin)
    if checkin.status != CheckInStatus.CHECKED_IN:
        raise CheckInError("本次检查已登记离开,不能重复办理。")
    deadline = _check_result(result, rectification_deadline)
    if method is not None and method not in InspectionMethod.values:
        raise CheckInError("检查方式应为“现场”或“非现场”。")
    checkin.status, checkin.checked_out_at, checkin.result = CheckInStatus.CHECKED_OUT, _now(), result
    checkin.rectification_deadline, checkin.result_note = deadline, str(note or "").strip()
    checkin.method = method or checkin.method
    fields = ["status", "checked_out_at", "result", "rectification_deadline", "result_note", "method"]
    checkin.save(update_fields=[*fields, "updated_at"])
    record_event(actor=actor, action="checkins.check_out", target=checkin, after=_checkout_summary(checkin))
    checked_out.send(sender=CheckIn, checkin=checkin, actor=actor)
    return checkin


def _checkout_summary(checkin: CheckIn) -> dict[str, Any]:
    deadline = checkin.rectification_deadline
    return {
        "result": checkin.result,
        "rectification_deadline": deadline.isoformat() if deadline else "",
        "note": checkin.result_note,
        "method": checkin.method,
        "checked_out_at": checkin.checked_out_at.isoformat() if checkin.checked_out_at else "",
    }
