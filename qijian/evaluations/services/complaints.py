"""Complaint services (投诉举报): register (staff, an enterprise user, an import), accept, reply, reject.

Every write validates first (``ComplaintError`` with a Chinese message, nothing written), then writes and
records its audit event in the same transaction. Deadlines are working days after the day of receipt
(policy ``complaints.accept_days`` / ``complaints.reply_days``). The outcome of a reply or the reason of
a rejection goes back to the complainant (complaint_feedback.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from qijian.accounts.choices import Role
from qijian.accounts.models import User
from qijian.audit.services import record_event
from qijian.checkins.models import CheckIn
from qijian.core.calendar import add_working_days, local_zone
from qijian.core.numbering import next_number, save_numbered
from qijian.enterprises.models import Enterprise
from qijian.evaluations.choices import ComplaintSource, ComplaintStatus
from qijian.evaluations.models import Complaint
from qijian.evaluations.services.complaint_feedback import send_back
from qijian.inspections.models import Filing
from qijian.org.models import Department
from qijian.policy.loader import figure

STAFF_ROLES = frozenset({Role.OFFICE, Role.SUPERVISOR})
SUMMARY_LIMIT = 5000
OUTCOME_LIMIT = 5000
NUMBER_ATTEMPTS = 5


class ComplaintError(ValueError):
    """A complaint action that is not allowed; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class Links:
    """What a complaint is about, once checked against each other."""

    enterprise: Enterprise | None = None
    department: Department | None = None
    filing: Filing | None = None
    checkin: CheckIn | None = None


@dataclass(frozen=True)
class Ticket:
    """A complaint as registered: who, how to reach them, what, and what it is about."""

    summary: str
    complainant: str = ""
    contact: str = ""
    external_id: str = ""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _require_staff(actor: Any) -> None:
    if getattr(actor, "role", None) not in STAFF_ROLES:
        raise ComplaintError("只有联席会议办公室和县司法局可以办理投诉举报。")


# --- checking ------------------------------------------------------------------------------------


def _text(value: Any, label: str, limit: int, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ComplaintError(f"{label}不能为空。")
    if len(text) > limit:
        raise ComplaintError(f"{label}不能超过{limit}个字符(实际{len(text)}个)。")
    return text


def check_ticket(ticket: Ticket) -> Ticket:
    return Ticket(
        summary=_text(ticket.summary, "投诉内容", SUMMARY_LIMIT, required=True),
        complainant=_text(ticket.complainant, "投诉人", 100),
        contact=_text(ticket.contact, "联系方式", 200),
        external_id=_text(ticket.external_id, "来源工单号", 64),
    )


def _filing_covers(filing: Filing, enterprise: Enterprise) -> bool:
    return filing.enterprises.filter(pk=enterprise.pk).exists()


def _checkin_links(links: Links) -> Links:
    """Fill the filing, enterprise and department from the check-in, refusing what contradicts it."""
    checkin = links.checkin
    assert checkin is not None
    if links.filing is not None and checkin.filing_id not in (None, links.filing.pk):
        raise ComplaintError(f"入企扫码记录不属于报备 {links.filing.number}。")
    if links.enterprise is not None and checkin.enterprise_id != links.enterprise.pk:
        raise ComplaintError("入企扫码记录的企业与所填企业不一致。")
    filing = links.filing or checkin.filing
    department = links.department or (filing.department if filing else checkin.inspector.department)
    return Links(links.enterprise or checkin.enterprise, department, filing, checkin)


def check_links(links: Links) -> Links:
    """The department must be the filing's, the enterprise one the filing covers and the check-in's."""
    if links.checkin is not None:
        links = _checkin_links(links)
    filing, enterprise, department = links.filing, links.enterprise, links.department
    if filing is None:
        return links
    if department is not None and department.pk != filing.department_id:
        raise ComplaintError(f"被投诉部门应为报备 {filing.number} 的报备部门({filing.department.name})。")
    if enterprise is not None and not _filing_covers(filing, enterprise):
        raise ComplaintError(f"报备 {filing.number} 的检查对象不包括{enterprise.name}。")
    if enterprise is None and filing.enterprises.count() == 1:
        enterprise = filing.enterprises.get()
    return Links(enterprise, department or filing.department, filing, links.checkin)


def deadlines(received_at: dt.datetime) -> tuple[dt.date, dt.date]:
    """(accept_due, reply_due): working days after the local day of receipt."""
    day = received_at.astimezone(local_zone()).date()
    return (
        add_working_days(day, int(figure("complaints.accept_days"))),
        add_working_days(day, int(figure("complaints.reply_days"))),
    )


# --- numbers -------------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    return next_number(Complaint, f"TS-{year}-", 6)


def _save_numbered(complaint: Complaint) -> None:
    """Insert with the next free number of the year; a number taken by a concurrent writer is retried.
    Another constraint (e.g. the ticket was imported meanwhile) fails as it is."""
    year = complaint.received_at.astimezone(local_zone()).year
    save_numbered(
        complaint,
        lambda: _next_number(year),
        attempts=NUMBER_ATTEMPTS,
        exhausted=ComplaintError("投诉编号分配冲突,请稍后重试。"),
        other_conflict=lambda: None,
    )


def _summary(complaint: Complaint) -> dict[str, Any]:
    return {
        "number": complaint.number,
        "source": complaint.source,
        "external_id": complaint.external_id,
        "received_at": complaint.received_at.isoformat(),
        "enterprise": complaint.enterprise_id,
        "department": complaint.department_id,
        "filing": complaint.filing_id,
        "checkin": complaint.checkin_id,
        "accept_due": complaint.accept_due.isoformat(),
        "reply_due": complaint.reply_due.isoformat(),
    }


def _create(
    *, actor: Any, source: str, ticket: Ticket, links: Links, received_at: dt.datetime, action: str
) -> Complaint:
    accept_due, reply_due = deadlines(received_at)
    complaint = Complaint(
        source=source,
        external_id=ticket.external_id,
        received_at=received_at,
        complainant=ticket.complainant,
        contact=ticket.contact,
        enterprise=links.enterprise,
        department=links.department,
        filing=links.filing,
        checkin=links.checkin,
        summary=ticket.summary,
        accept_due=accept_due,
        reply_due=reply_due,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _save_numbered(complaint)
    record_event(actor=actor, action=action, target=complaint, after=_summary(complaint))
    return complaint


# --- registering -----------------------------------------------------------------------------------


@transaction.atomic
def register_complaint(
    *,
    actor: Any,
    summary: str,
    complainant: str = "",
    contact: str = "",
    enterprise: Enterprise | None = None,
    department: Department | None = None,
    filing: Filing | None = None,
    checkin: CheckIn | None = None,
) -> Complaint:
    """A complaint taken by the office or 司法局 (a visit, a call, a letter); received now."""
    _require_staff(actor)
    ticket = check_ticket(Ticket(summary, complainant, contact))
    links = check_links(Links(enterprise, department, filing, checkin))
    return _create(
        actor=actor,
        source=ComplaintSource.STAFF,
        ticket=ticket,
        links=links,
        received_at=_now(),
        action="evaluations.register_complaint",
    )


def _own_links(actor: Any, filing: Filing | None, checkin: CheckIn | None) -> Links:
    """An enterprise complains about one of its own inspections: a filing covering it, or its check-in."""
    enterprise = actor.enterprise
    if filing is None and checkin is None:
        raise ComplaintError("请选择被投诉的检查(报备或入企扫码记录)。")
    if checkin is not None and checkin.enterprise_id != enterprise.pk:
        raise ComplaintError("只能投诉对本企业的检查:该入企扫码记录不属于本企业。")
    if filing is not None and not _filing_covers(filing, enterprise):
        raise ComplaintError("只能投诉对本企业的检查:该报备的检查对象不包括本企业。")
    return check_links(Links(enterprise, None, filing, checkin))


@transaction.atomic
def submit_complaint(
    *,
    actor: Any,
    summary: str,
    filing: Filing | None = None,
    checkin: CheckIn | None = None,
    contact: str = "",
) -> Complaint:
    """A signed-in enterprise user's complaint about one of its enterprise's inspections."""
    if getattr(actor, "role", None) != Role.ENTERPRISE or not getattr(actor, "enterprise_id", None):
        raise ComplaintError("只有企业用户可以在线提交本企业的投诉。")
    name = actor.get_full_name() or actor.username
    ticket = check_ticket(Ticket(summary, name, contact or actor.email or actor.phone))
    links = _own_links(actor, filing, checkin)
    return _create(
        actor=actor,
        source=ComplaintSource.ENTERPRISE,
        ticket=ticket,
        links=links,
        received_at=_now(),
        action="evaluations.submit_complaint",
    )


@dataclass(frozen=True)
class ImportedTicket:
    """One checked row of a 12345 or 企业家直通车 export (see complaint_importing.py)."""

    ticket: Ticket
    received_at: dt.datetime
    enterprise_id: int | None = None
    department_id: int | None = None
    filing_id: int | None = None


@transaction.atomic
def record_imported_complaints(*, actor: Any, source: str, rows: Iterable[ImportedTicket]) -> int:
    """Store checked rows of an export (inside the import's transaction); return how many were stored."""
    if source not in (ComplaintSource.HOTLINE, ComplaintSource.DIRECT):
        raise ComplaintError("只能导入12345热线或企业家直通车的工单。")
    count = 0
    for row in rows:
        links = Links(
            Enterprise.objects.filter(pk=row.enterprise_id).first() if row.enterprise_id else None,
            Department.objects.filter(pk=row.department_id).first() if row.department_id else None,
            Filing.objects.filter(pk=row.filing_id).first() if row.filing_id else None,
        )
        _create(
            actor=actor,
            source=source,
            ticket=row.ticket,
            links=links,
            received_at=row.received_at,
            action="evaluations.import_complaint",
        )
        count += 1
    return count


# --- handling --------------------------------------------------------------------------------------


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _check_handler(handler: Any) -> User:
    if handler is None or getattr(handler, "role", None) != Role.SUPERVISOR or not handler.is_active:
        raise ComplaintError("承办人须为县司法局(执法监督)的在岗用户。")
    return handler  # type: ignore[no-any-return]


@transaction.atomic
def accept_complaint(*, actor: Any, complaint: Complaint, handler: Any) -> Complaint:
    """受理: received → handling, with a 司法局 handler."""
    _require_staff(actor)
    handler = _check_handler(handler)
    complaint = _locked(complaint)
    if complaint.status != ComplaintStatus.RECEIVED:
        raise ComplaintError(f"投诉 {complaint.number} 当前为“{complaint.get_status_display()}”,不能受理。")
    complaint.status, complaint.handler, complaint.accepted_at = ComplaintStatus.HANDLING, handler, _now()
    complaint.save(update_fields=["status", "handler", "accepted_at", "updated_at"])
    after = {"handler": handler.username, "accepted_at": complaint.accepted_at.isoformat()}
    record_event(actor=actor, action="evaluations.accept_complaint", target=complaint, after=after)
    return complaint


def _close(actor: Any, complaint: Complaint, status: str, text: str, action: str) -> Complaint:
    complaint.status, complaint.outcome, complaint.replied_at = status, text, _now()
    complaint.feedback = send_back(complaint, actor=actor)
    complaint.save(update_fields=["status", "outcome", "replied_at", "feedback", "updated_at"])
    after = {"outcome": text, "replied_at": complaint.replied_at.isoformat(), "feedback": complaint.feedback}
    record_event(actor=actor, action=action, target=complaint, after=after)
    return complaint


@transaction.atomic
def reply_complaint(*, actor: Any, complaint: Complaint, outcome: str) -> Complaint:
    """办结: handling → replied; the outcome goes back to the complainant."""
    _require_staff(actor)
    text = _text(outcome, "办理结果", OUTCOME_LIMIT, required=True)
    complaint = _locked(complaint)
    if complaint.status != ComplaintStatus.HANDLING:
        raise ComplaintError(f"投诉 {complaint.number} 当前为“{complaint.get_status_display()}”,须先受理再办结。")
    return _close(actor, complaint, ComplaintStatus.REPLIED, text, "evaluations.reply_complaint")


@transaction.atomic
def reject_complaint(*, actor: Any, complaint: Complaint, reason: str) -> Complaint:
    """不予受理 (before or after acceptance): the reason, kept in ``outcome``, goes back to the complainant."""
    _require_staff(actor)
    text = _text(reason, "不予受理理由", OUTCOME_LIMIT, required=True)
    complaint = _locked(complaint)
    if complaint.status not in (ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING):
        raise ComplaintError(f"投诉 {complaint.number} 已{complaint.get_status_display()},不能再作不予受理。")
    return _close(actor, complaint, ComplaintStatus.REJECTED, text, "evaluations.reject_complaint")
