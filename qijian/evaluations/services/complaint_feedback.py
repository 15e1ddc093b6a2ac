"""Sending a complaint's outcome back to the complainant, and the daily overdue notices.

There is no SMS channel: an enterprise complaint reaches the enterprise's users in the app and by
mail; another complaint whose contact is an e-mail address gets a mail; any other contact (a phone
number) is phoned by staff — the handler (or whoever closed it) gets a note saying so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from qijian.accounts.choices import Role
from qijian.accounts.models import User
from qijian.audit.services import record_event
from qijian.core.notify import notify_users, queue_mail
from qijian.evaluations.choices import ComplaintFeedback, ComplaintSource, ComplaintStatus
from qijian.evaluations.models import Complaint

OPEN = (ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING)


def is_email(contact: str) -> bool:
    try:
        validate_email(contact.strip())
    except ValidationError:
        return False
    return True


def _message(complaint: Complaint) -> tuple[str, str]:
    if complaint.status == ComplaintStatus.REJECTED:
        title = f"您的投诉 {complaint.number} 不予受理"
        body = f"您于{complaint.received_at:%Y年%m月%d日}反映的问题不予受理,理由:{complaint.outcome}"
    else:
        title = f"您的投诉 {complaint.number} 已办结"
        body = f"您于{complaint.received_at:%Y年%m月%d日}反映的问题已办结,办理结果:{complaint.outcome}"
    return title, f"{body}\n\n投诉内容:{complaint.summary}\n\n如有异议,可拨打12345热线或联系县司法局。"


def _enterprise_users(complaint: Complaint) -> list[User]:
    return list(User.objects.filter(role=Role.ENTERPRISE, is_active=True, enterprise_id=complaint.enterprise_id))


def send_back(complaint: Complaint, *, actor: Any) -> str:
    """Tell the complainant the outcome; return the channel used (ComplaintFeedback)."""
    title, body = _message(complaint)
    if complaint.source == ComplaintSource.ENTERPRISE and complaint.enterprise_id:
        users = _enterprise_users(complaint)
        notify_users(users=users, title=title, body=body, link=reverse("evaluations:my_complaint", args=[complaint.pk]))
        extra = [complaint.contact] if is_email(complaint.contact) else []
        queue_mail(to=sorted({u.email for u in users if u.email} | set(extra)), subject=f"[企检] {title}", body=body)
        return ComplaintFeedback.APP_AND_MAIL
    if is_email(complaint.contact):
        queue_mail(to=[complaint.contact.strip()], subject=f"[企检] {title}", body=body)
        return ComplaintFeedback.MAIL
    _ask_to_phone(complaint, actor)
    return ComplaintFeedback.PHONE


def _ask_to_phone(complaint: Complaint, actor: Any) -> None:
    staff = complaint.handler or (actor if getattr(actor, "pk", None) else None)
    who = f"{complaint.complainant or '投诉人'}({complaint.contact or '未留联系方式'})"
    notify_users(
        users=[staff] if staff is not None else [],
        title=f"请电话告知投诉 {complaint.number} 的办理结果",
        body=f"该投诉无站内或邮件渠道,请电话告知{who}:{complaint.outcome}",
        link=reverse("evaluations:complaint_detail", args=[complaint.pk]),
    )


# --- overdue notices (the daily sweep) ---------------------------------------------------------------


def _supervisors() -> list[User]:
    return list(User.objects.filter(role=Role.SUPERVISOR, is_active=True))


def _claim(complaint: Complaint, field: str) -> bool:
    """Mark the notice as sent; False if a concurrent sweep (or an earlier run) already did."""
    stamp = {field: dt.datetime.now(dt.UTC)}
    return bool(Complaint.objects.filter(pk=complaint.pk, **{f"{field}__isnull": True}).update(**stamp))


def _notice(complaint: Complaint, what: str, due: dt.date, field: str) -> bool:
    with transaction.atomic():
        if not _claim(complaint, field):
            return False
        users = [complaint.handler] if complaint.handler and complaint.handler.is_active else _supervisors()
        title = f"投诉 {complaint.number} 已超过{what}期限({due:%Y-%m-%d})"
        body = f"{title},请尽快办理。投诉内容:{complaint.summary[:200]}"
        notify_users(
            users=users, title=title, body=body, link=reverse("evaluations:complaint_detail", args=[complaint.pk])
        )
        queue_mail(to=[u.email for u in users if u.email], subject=f"[企检] {title}", body=body)
        after = {"deadline": what, "due": due.isoformat(), "notified": [u.username for u in users]}
        record_event(actor=None, action="evaluations.complaint_overdue", target=complaint, after=after)
    return True


def sweep_complaint_deadlines(today: dt.date) -> list[Any]:
    """Notify once per complaint and deadline passed (accept_due, reply_due); raises no rule alert."""
    late_accept = Complaint.objects.filter(
        status=ComplaintStatus.RECEIVED, accept_due__lt=today, accept_overdue_noticed_at__isnull=True
    )
    late_reply = Complaint.objects.filter(status__in=OPEN, reply_due__lt=today, reply_overdue_noticed_at__isnull=True)
    for complaint in late_accept.select_related("handler"):
        _notice(complaint, "受理", complaint.accept_due, "accept_overdue_noticed_at")
    for complaint in late_reply.select_related("handler"):
        _notice(complaint, "办结", complaint.reply_due, "reply_overdue_noticed_at")
    return []
