"""Writes of the oversight app: raising alerts (idempotent), acknowledging and resolving them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse

from qijian.accounts.choices import Role
from qijian.audit.services import record_event
from qijian.core.models import Notification
from qijian.core.notify import notify_role, office_mailbox, queue_mail
from qijian.oversight.choices import AlertStatus, Severity
from qijian.oversight.models import Alert
from qijian.oversight.rules import Finding


class AlertError(ValueError):
    """An alert action that is not allowed; the message is for the user (Chinese)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def raise_alert(*, finding: Finding, key: str, actor: Any = None, **subjects: Any) -> Alert | None:
    """Store ``finding`` as an alert unless one with ``key`` exists; returns the new alert or None.

    ``subjects``: department, enterprise, filing, plan (model instances or None). ``key`` names the
    breach, e.g. "R06:filing:12:enterprise:7", so that replays and sweeps never raise it twice.
    The office is told in the app at once; critical alerts also by mail.
    """
    if Alert.objects.filter(dedup_key=key).exists():
        return None
    alert = Alert(
        rule=finding.rule,
        severity=finding.severity,
        dedup_key=key[:160],
        raised_at=_now(),
        message=finding.message,
        policy_source=finding.source,
        facts=finding.facts,
        referral_candidate=finding.severity == Severity.CRITICAL,
        **subjects,
    )
    try:
        with transaction.atomic():
            alert.save(force_insert=True)
            record_event(actor=actor, action="oversight.raise_alert", target=alert, after=_summary(alert))
    except IntegrityError:  # a concurrent writer raised the same breach first
        return None
    _tell_office(alert)
    return alert


def _summary(alert: Alert) -> dict[str, Any]:
    return {"rule": alert.rule, "severity": alert.severity, "message": alert.message, "facts": alert.facts}


def _tell_office(alert: Alert) -> None:
    title = f"【{alert.get_severity_display()}】{alert.get_rule_display()}"
    link = reverse("oversight:alert_detail", args=[alert.pk])
    notify_role(role=Role.OFFICE, title=title, body=alert.message, link=link)
    if alert.severity == Severity.CRITICAL:
        queue_mail(
            to=[office_mailbox()], subject=f"[企检] {title}", body=f"{alert.message}\n\n政策依据:{alert.policy_source}"
        )


@transaction.atomic
def acknowledge_alert(*, actor: Any, alert: Alert) -> Alert:
    if alert.status != AlertStatus.OPEN:
        raise AlertError("该预警已确认或已办结。")
    alert.status, alert.acknowledged_by, alert.acknowledged_at = AlertStatus.ACKNOWLEDGED, actor, _now()
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "updated_at"])
    record_event(actor=actor, action="oversight.acknowledge_alert", target=alert)
    return alert


@transaction.atomic
def resolve_alert(*, actor: Any, alert: Alert, comment: str) -> Alert:
    comment = comment.strip()
    if not comment:
        raise AlertError("办结预警须填写处理意见。")
    if alert.status == AlertStatus.RESOLVED:
        raise AlertError("该预警已办结。")
    now = _now()
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = actor, now
    alert.status, alert.resolved_by, alert.resolved_at, alert.resolution = AlertStatus.RESOLVED, actor, now, comment
    alert.save(
        update_fields=[
            "status",
            "acknowledged_by",
            "acknowledged_at",
            "resolved_by",
            "resolved_at",
            "resolution",
            "updated_at",
        ]
    )
    record_event(actor=actor, action="oversight.resolve_alert", target=alert, after={"resolution": comment})
    return alert


# --- the in-app inbox (core.Notification) ----------------------------------------------------------
# Marking one's own notifications read is personal reading state, not a business change: it is not
# written to the audit trail (it would drown it); only the recipient can do it.


def mark_read(*, actor: Any, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise AlertError("只能标记自己的消息。")
    if notification.read_at is None:
        notification.read_at = _now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, actor: Any) -> int:
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(read_at=_now())
