"""Demo referrals (纪检监察移送), built through the services after the check-ins and oversight demos.

- the check-ins demo's unfiled scan (its R01 alert) is proposed by 司法局 and approved by 司法局 and the
  office: its evidence packet is fixed and the discipline account reads it;
- another alert (a critical one if any, else the newest warning) is proposed by the office and
  approved by the office only: it waits for 司法局's approval and discipline does not see it.

Based on alerts only (the complaints demo may not exist). Idempotent: an alert that already has an
open referral is left alone.
"""

from __future__ import annotations

from typing import Any

from qijian.accounts.choices import Role
from qijian.accounts.models import User
from qijian.oversight import referrals
from qijian.oversight.choices import Severity
from qijian.oversight.models import Alert, Referral

UNFILED_KEY = "R01:checkin:"
UNFILED_REASON = (
    "执法人员未向联席会议办公室报备即入企检查(入企扫码记录为未报备入企,系统生成R01严重预警)。"
    "依据《沧县规范涉企执法检查9项工作机制(试行)》机制三“未经报备入企检查的,按损害营商环境行为通报纪检监察机关追究相关责任”,"
    "提请移送纪检监察机关。"
)
SECOND_REASON = "预警所涉检查存在违反涉企执法检查规定的情形,相关部门未作合理说明,建议移送纪检监察机关核查。"


def _user(role: str) -> Any:
    return User.objects.filter(role=role, is_active=True).order_by("pk").first()


def _unfiled_alert() -> Alert | None:
    return Alert.objects.filter(rule="R01", dedup_key__startswith=UNFILED_KEY).order_by("raised_at", "pk").first()


def _second_alert(exclude: Alert | None) -> Alert | None:
    if Referral.objects.filter(reason=SECOND_REASON).exists():  # made by an earlier run
        return None
    others = Alert.objects.exclude(pk=getattr(exclude, "pk", None)).order_by("-raised_at", "-pk")
    return others.filter(severity=Severity.CRITICAL).first() or others.first()


def _refer(alert: Alert | None, *, proposer: Any, approvers: list[Any], reason: str) -> None:
    if alert is None or proposer is None or referrals.open_referral(alert=alert) is not None:
        return
    referral = referrals.propose_referral(actor=proposer, alert=alert, reason=reason)
    for approver in approvers:
        referral = referrals.approve_referral(actor=approver, referral=referral)


def load_demo() -> None:
    """Build this part's demo data; a second call adds nothing."""
    office, supervisor = _user(Role.OFFICE), _user(Role.SUPERVISOR)
    if office is None or supervisor is None:
        return
    unfiled = _unfiled_alert()
    _refer(unfiled, proposer=supervisor, approvers=[supervisor, office], reason=UNFILED_REASON)
    _refer(_second_alert(unfiled), proposer=office, approvers=[office], reason=SECOND_REASON)
