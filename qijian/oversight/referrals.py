"""Referrals to discipline inspection (纪检监察移送; mechanism 3, 工作要求(三)): propose, approve twice, reject.

A referral starts from one alert or one complaint, proposed by the office or the supervisor with a
reason. It needs two approvals by two different people: one office user and one supervisor user
(compared by account and, when set, by ``person_id``). The second approval fixes the evidence packet
(qijian.oversight.evidence): the PDF is stored, its SHA-256 goes into the referral and into the audit
event, and the discipline role is told in the app and by mail. Until then discipline sees nothing.
See docs/referrals.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from qijian.accounts.choices import Role
from qijian.audit.services import record_event
from qijian.core.calendar import local_zone
from qijian.core.notify import notify_role, notify_users, queue_mail
from qijian.core.numbering import next_number, save_numbered
from qijian.oversight.choices import ReferralStatus
from qijian.oversight.models import Alert, Referral

PARTIES = (Role.OFFICE, Role.SUPERVISOR)
# The approval slot of each party: (approver field, time field).
SLOTS = {
    Role.OFFICE: ("office_approved_by", "office_approved_at"),
    Role.SUPERVISOR: ("supervisor_approved_by", "supervisor_approved_at"),
}
PARTY_NAMES = {Role.OFFICE: "联席会议办公室", Role.SUPERVISOR: "县司法局"}
NUMBER_PREFIX = "YS"
NUMBER_ATTEMPTS = 5
REASON_MAX = 4000


class ReferralError(ValueError):
    """A referral action that is not allowed; the message is for the user (Chinese)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _require_party(actor: Any, message: str) -> None:
    if getattr(actor, "role", None) not in PARTIES:
        raise ReferralError(message)


def _clean_text(text: str | None, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ReferralError(message)
    if len(text) > REASON_MAX:
        raise ReferralError(f"理由不能超过{REASON_MAX}字。")
    return text


# --- propose -----------------------------------------------------------------------------------------


@transaction.atomic
def propose_referral(*, actor: Any, reason: str, alert: Alert | None = None, complaint: Any = None) -> Referral:
    """Propose a referral of ``alert`` or ``complaint`` (exactly one) to discipline inspection."""
    _require_party(actor, "只有联席会议办公室或县司法局可以提请移送纪检监察。")
    reason = _clean_text(reason, "请填写移送理由。")
    if (alert is None) == (complaint is None):
        raise ReferralError("请选择一条监督预警或一件投诉举报作为移送来源(只能选一项)。")
    _lock_origin(alert, complaint)
    _refuse_open(alert, complaint)
    origin = alert if alert is not None else complaint
    referral = Referral(
        alert=alert,
        complaint=complaint,
        department_id=origin.department_id,
        enterprise_id=origin.enterprise_id,
        reason=reason,
        proposed_by=actor,
        proposed_at=_now(),
    )
    _save_numbered(referral)
    record_event(actor=actor, action="oversight.propose_referral", target=referral, after=_summary(referral))
    _tell_approvers(referral)
    return referral


def _lock_origin(alert: Alert | None, complaint: Any) -> None:
    """Serialise proposals of one origin (PostgreSQL row lock; SQLite transactions are IMMEDIATE)."""
    if alert is not None:
        Alert.objects.select_for_update().filter(pk=alert.pk).first()
    else:
        type(complaint).objects.select_for_update().filter(pk=complaint.pk).first()


def open_referral(alert: Alert | None = None, complaint: Any = None) -> Referral | None:
    """The proposed or approved referral of an origin, if any."""
    origin = {"alert": alert} if alert is not None else {"complaint": complaint}
    return Referral.objects.filter(**origin).exclude(status=ReferralStatus.REJECTED).first()


def _refuse_open(alert: Alert | None, complaint: Any) -> None:
    existing = open_referral(alert, complaint)
    if existing is not None:
        what = "该监督预警" if alert is not None else "该投诉举报"
        state = existing.get_status_display()
        raise ReferralError(f"{what}已有移送 {existing.number}({state}),不能重复提请。")


def _next_number(moment: dt.datetime) -> str:
    return next_number(Referral, f"{NUMBER_PREFIX}-{moment.astimezone(local_zone()):%Y}-", 4)


def _save_numbered(referral: Referral) -> None:
    """Insert with the next free number of the year; a concurrent writer's number is retried, and a
    concurrent proposal of the same origin is refused with its number."""
    save_numbered(
        referral,
        lambda: _next_number(referral.proposed_at),
        attempts=NUMBER_ATTEMPTS,
        exhausted=ReferralError("移送编号分配冲突,请稍后重试。"),
        other_conflict=lambda: _refuse_open(referral.alert, referral.complaint),
    )


def _summary(referral: Referral) -> dict[str, Any]:
    return {
        "number": referral.number,
        "status": referral.status,
        "alert": referral.alert_id,
        "complaint": referral.complaint_id,
        "department": referral.department_id,
        "enterprise": referral.enterprise_id,
        "reason": referral.reason,
    }


def _link(referral: Referral) -> str:
    return reverse("oversight:referral_detail", args=[referral.pk])


def _tell_approvers(referral: Referral) -> None:
    title = f"待审批:纪检监察移送 {referral.number}"
    for role in PARTIES:
        notify_role(role=role, title=title, body=referral.reason[:500], link=_link(referral))


# --- approve -----------------------------------------------------------------------------------------


def _same_person(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    return bool(a.pk == b.pk or (a.person_id and a.person_id == b.person_id))


def _locked(referral: Referral) -> Referral:
    """The referral re-read under a row lock, so two approvals never both count as the first (or second)."""
    related = ("office_approved_by", "supervisor_approved_by", "alert", "complaint", "department", "enterprise")
    return Referral.objects.select_for_update(of=("self",)).select_related(*related).get(pk=referral.pk)


def _check_approval(actor: Any, referral: Referral) -> tuple[str, str]:
    _require_party(actor, "只有联席会议办公室和县司法局可以审批移送纪检监察。")
    if referral.status != ReferralStatus.PROPOSED:
        raise ReferralError(f"该移送{referral.get_status_display()},不能再审批。")
    by_field, at_field = SLOTS[Role(actor.role)]
    if getattr(referral, f"{by_field}_id") is not None:
        raise ReferralError(f"{PARTY_NAMES[Role(actor.role)]}已审批该移送,须由另一方审批。")
    other_field = next(f for f, _ in SLOTS.values() if f != by_field)
    if _same_person(actor, getattr(referral, other_field)):
        raise ReferralError("同一人不能同时作为两名审批人:移送须由联席会议办公室和县司法局的两名不同人员分别审批。")
    return by_field, at_field


@transaction.atomic
def approve_referral(*, actor: Any, referral: Referral) -> Referral:
    """Record the actor's approval; the second approval fixes the evidence packet and tells discipline."""
    locked = _locked(referral)
    by_field, at_field = _check_approval(actor, locked)
    setattr(locked, by_field, actor)
    setattr(locked, at_field, _now())
    fields = [by_field, at_field, "updated_at"]
    complete = locked.office_approved_by_id is not None and locked.supervisor_approved_by_id is not None
    if complete:
        locked.status = ReferralStatus.APPROVED
        _fix_packet(locked, actor)
        fields += ["status", "packet", "packet_sha256"]
    locked.save(update_fields=fields)
    after = {"slot": by_field, "status": locked.status, "packet_sha256": locked.packet_sha256 or None}
    record_event(actor=actor, action="oversight.approve_referral", target=locked, after=after)
    if complete:
        _tell_discipline(locked)
    return locked


def _fix_packet(referral: Referral, actor: Any) -> None:
    from qijian.oversight import evidence

    pdf = evidence.packet_pdf(referral, actor=actor)
    referral.packet_sha256 = hashlib.sha256(pdf).hexdigest()
    referral.packet.save(f"{referral.number}-{referral.packet_sha256[:12]}.pdf", ContentFile(pdf), save=False)


def discipline_users() -> Any:
    from qijian.accounts.models import User

    return User.objects.filter(role=Role.DISCIPLINE, is_active=True)


def _tell_discipline(referral: Referral) -> None:
    title = f"纪检监察移送 {referral.number}"
    body = f"{referral.reason[:500]}\n\n证据材料包 SHA-256:{referral.packet_sha256}"
    notify_role(role=Role.DISCIPLINE, title=title, body=body, link=_link(referral))
    emails = [u.email for u in discipline_users() if u.email]
    queue_mail(to=emails, subject=f"[企检] {title}", body=f"{body}\n\n请登录企检平台查阅:{_link(referral)}")


# --- reject ------------------------------------------------------------------------------------------


@transaction.atomic
def reject_referral(*, actor: Any, referral: Referral, reason: str) -> Referral:
    """Refuse a proposed referral with a reason (the office or the supervisor); the proposer is told."""
    _require_party(actor, "只有联席会议办公室和县司法局可以否决移送纪检监察。")
    reason = _clean_text(reason, "请填写不予移送的理由。")
    locked = _locked(referral)
    if locked.status != ReferralStatus.PROPOSED:
        raise ReferralError(f"该移送{locked.get_status_display()},不能否决。")
    locked.status, locked.rejected_by, locked.rejected_at = ReferralStatus.REJECTED, actor, _now()
    locked.rejection_reason = reason
    locked.save(update_fields=["status", "rejected_by", "rejected_at", "rejection_reason", "updated_at"])
    record_event(actor=actor, action="oversight.reject_referral", target=locked, after={"reason": reason})
    title = f"不予移送:{locked.number}"
    notify_users(users=[locked.proposed_by], title=title, body=reason[:500], link=_link(locked))
    return locked


# --- reading the packet ------------------------------------------------------------------------------


@transaction.atomic
def record_packet_read(*, actor: Any, referral: Referral) -> Referral:
    """Audit a download of the packet; a discipline user's first download is the receipt (签收)."""
    if referral.status != ReferralStatus.APPROVED or not referral.packet:
        raise ReferralError("该移送尚未经两名审批人批准,没有证据材料包。")
    after: dict[str, Any] = {"packet_sha256": referral.packet_sha256}
    if getattr(actor, "role", None) == Role.DISCIPLINE and referral.received_at is None:
        referral.received_at = _now()
        referral.save(update_fields=["received_at", "updated_at"])
        after["received"] = True
    record_event(actor=actor, action="oversight.read_referral_packet", target=referral, after=after)
    return referral
