"""The evidence packet of a referral (纪检监察移送证据材料包): an A4 PDF fixed at the second approval.

It prints the cover (number, origin, department, enterprise, reason, proposer, both approvers), the
trace of the inspections concerned (qijian.checkins.queries: the filing's when the origin names one,
else the enterprise's over ``referrals.packet_timeline_days``), the filings, the check-ins with their
attachments' SHA-256, the questionnaire answers of those check-ins' follow-ups, the alert and the
complaint, and the audit proof: the chain check (qijian.checkins.queries.proof) over every included
event up to a signed checkpoint written for the packet, with each event's seq and SM3 hashes.

The facts are read as the office approver sees them (the office sees every filing, check-in and
alert); questionnaire answers, which only the office and the supervisor read on pages, are shown
here to discipline — the one reader they are released to. Rendering imitates qijian.checkins.notices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from qijian.audit.models import AuditCheckpoint, AuditEvent
from qijian.audit.services import write_checkpoint
from qijian.checkins.models import Attachment, CheckIn
from qijian.checkins.queries import ChainProof, TraceRow, enterprise_timeline, filing_timeline, verify_range
from qijian.checkins.queries.sources import kind_label
from qijian.inspections.models import Filing
from qijian.org.models import Inspector
from qijian.oversight.models import Alert, Referral
from qijian.policy.loader import figure

PACKET_TEMPLATE = "oversight/referrals/pdf/packet.html"
STYLESHEETS = ("checkins/pdf/print.css", "oversight/referrals/pdf/packet.css")
R01_KEY = "R01:checkin:"
FILING = "inspections.filing"
CHECKIN = "checkins.checkin"


FOLLOW_UP_TYPE = "evaluations.followup"


@dataclass(frozen=True)
class AnsweredQuestion:
    number: int
    text: str
    answer: str


@dataclass(frozen=True)
class FollowUpAnswers:
    checkin_id: int
    follow_up: Any
    submitted_at: dt.datetime | None
    channel: str
    answers: list[AnsweredQuestion] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    referral: Referral
    alert: Alert | None
    complaint: Any
    timeline: list[TraceRow]
    record: list[TraceRow]  # the audit events of the origin and of the referral itself
    filings: list[Filing]
    checkins: list[CheckIn]
    answers: list[FollowUpAnswers]
    proof: ChainProof
    checkpoint: AuditCheckpoint | None
    scope: str  # which trace the timeline is


# --- gathering ---------------------------------------------------------------------------------------


def origin_checkin(referral: Referral) -> CheckIn | None:
    """The check-in the origin is about: an R01 alert's (by its key) or the complaint's."""
    alert, complaint = referral.alert, referral.complaint
    if alert is not None and alert.dedup_key.startswith(R01_KEY):
        pk = alert.dedup_key.removeprefix(R01_KEY)
        return CheckIn.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    if complaint is not None and complaint.checkin_id:
        return CheckIn.objects.filter(pk=complaint.checkin_id).first()
    return None


def origin_filing(referral: Referral, checkin: CheckIn | None) -> Filing | None:
    for filing_id in (
        getattr(referral.alert, "filing_id", None),
        getattr(referral.complaint, "filing_id", None),
        getattr(checkin, "filing_id", None),
    ):
        if filing_id:
            return Filing.objects.filter(pk=filing_id).first()
    return None


def _origin_time(referral: Referral) -> dt.datetime:
    if referral.alert is not None:
        return referral.alert.raised_at
    return referral.complaint.received_at if referral.complaint is not None else referral.proposed_at


def _timeline(reader: Any, referral: Referral, filing: Filing | None) -> tuple[list[TraceRow], str]:
    if filing is not None:
        return _own_follow_ups(filing_timeline(reader, filing), referral), f"报备 {filing.number} 及其变更链的检查轨迹"
    if referral.enterprise is None:
        return [], "本移送未涉及具体企业,无企业检查轨迹"
    days = int(figure("referrals.packet_timeline_days"))
    since = _origin_time(referral) - dt.timedelta(days=days)
    rows = [r for r in enterprise_timeline(reader, referral.enterprise) if r.at >= since]
    return _own_follow_ups(rows, referral), f"{referral.enterprise.name} 在来源事项前 {days} 日起的检查轨迹"


def _own_follow_ups(rows: list[TraceRow], referral: Referral) -> list[TraceRow]:
    """Follow-ups (回访) of other departments' inspections stay out of the packet: what the enterprise told
    司法局 about them is not part of this referral."""
    if referral.department_id is None:
        return rows
    from qijian.evaluations.models import FollowUp

    ids = [int(r.target_id) for r in rows if r.target_type == FOLLOW_UP_TYPE and r.target_id.isdigit()]
    others = FollowUp.objects.filter(pk__in=ids).exclude(department_id=referral.department_id)
    hidden = {str(pk) for pk in others.values_list("pk", flat=True)}
    return [r for r in rows if not (r.target_type == FOLLOW_UP_TYPE and r.target_id in hidden)]


def _row(event: AuditEvent) -> TraceRow:
    actor = event.actor.get_full_name() or event.actor.username if event.actor else event.actor_repr
    return TraceRow(
        seq=event.seq,
        hash=event.hash,
        prev_hash=event.prev_hash,
        at=event.occurred_at,
        kind=kind_label(event.target_type) if event.target_type != "oversight.referral" else "纪检监察移送",
        subject=event.target_repr,
        action=event.action,
        actor=actor,
        detail=event.after if isinstance(event.after, dict) else {},
        target_type=event.target_type,
        target_id=event.target_id,
    )


def _record(referral: Referral, seen: set[int]) -> list[TraceRow]:
    """The audit events of the origin (alert or complaint) and of the referral, not already in the trace."""
    targets = [referral] + [o for o in (referral.alert, referral.complaint) if o is not None]
    where = Q(pk__in=[])
    for target in targets:
        where |= Q(target_type=target._meta.label_lower, target_id=str(target.pk))
    rows = AuditEvent.objects.filter(where).select_related("actor").order_by("seq")
    return [_row(e) for e in rows if e.seq not in seen]


def _ids(rows: Iterable[TraceRow], target_type: str, extra: Any) -> set[int]:
    ids = {int(r.target_id) for r in rows if r.target_type == target_type and r.target_id.isdigit()}
    return ids | ({extra.pk} if extra is not None else set())


def _filings(ids: set[int]) -> list[Filing]:
    people = Inspector.objects.select_related("department").order_by("certificate_no")
    qs = Filing.objects.filter(pk__in=ids).select_related("department", "item")
    return list(qs.prefetch_related(Prefetch("inspectors", queryset=people), "enterprises").order_by("filed_at", "id"))


def _checkins(ids: set[int]) -> list[CheckIn]:
    people = Inspector.objects.select_related("department").order_by("certificate_no")
    qs = CheckIn.objects.filter(pk__in=ids).select_related("inspector__department", "enterprise", "filing")
    files = Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    return list(qs.prefetch_related(Prefetch("companions", queryset=people), files).order_by("scanned_at", "id"))


def follow_up_answers(checkin_ids: Sequence[int], department_id: int | None = None) -> list[FollowUpAnswers]:
    """The questionnaire answers of the follow-ups of these check-ins — of ``department_id``'s inspections
    when given (read directly: discipline's packet only)."""
    from qijian.evaluations.models import Answer, FollowUp

    answers = Prefetch("response__answers", queryset=Answer.objects.select_related("question"))
    follow_ups = FollowUp.objects.filter(checkin_id__in=list(checkin_ids)).select_related("response")
    if department_id is not None:
        follow_ups = follow_ups.filter(department_id=department_id)
    return [_answered(f) for f in follow_ups.prefetch_related(answers).order_by("checkin_id")]


def _answered(follow_up: Any) -> FollowUpAnswers:
    response = getattr(follow_up, "response", None)
    if response is None:
        return FollowUpAnswers(follow_up.checkin_id, follow_up, None, "")
    rows = sorted(response.answers.all(), key=lambda a: a.question.number)
    answered = [AnsweredQuestion(a.question.number, a.question.text, _answer_text(a)) for a in rows]
    return FollowUpAnswers(
        follow_up.checkin_id, follow_up, response.submitted_at, response.get_channel_display(), answered
    )


def _answer_text(answer: Any) -> str:
    parts = [str(c) for c in (answer.choices or [])]
    if answer.text:
        parts.append(answer.text)
    return ";".join(parts) or "(未作答)"


def _sealed_proof(rows: Sequence[TraceRow], actor: Any) -> tuple[ChainProof, AuditCheckpoint | None]:
    """Sign the chain's head now, then check every event from the first included one up to that checkpoint."""
    checkpoint = write_checkpoint(actor=actor) or AuditCheckpoint.objects.order_by("-up_to_seq", "-id").first()
    seqs = [r.seq for r in rows if r.seq is not None]
    if not seqs or checkpoint is None:
        return ChainProof(ok=None), checkpoint
    return verify_range(min(seqs), max(max(seqs), checkpoint.up_to_seq)), checkpoint


def gather(referral: Referral, *, actor: Any = None) -> Evidence:
    """Everything the packet prints, read as the office approver sees it."""
    reader = referral.office_approved_by
    checkin = origin_checkin(referral)
    filing = origin_filing(referral, checkin)
    timeline, scope = _timeline(reader, referral, filing)
    record = _record(referral, {r.seq for r in timeline if r.seq is not None})
    checkins = _checkins(_ids(timeline, CHECKIN, checkin))
    filings = _filings(_ids(timeline, FILING, filing) | {c.filing_id for c in checkins if c.filing_id})
    proof, checkpoint = _sealed_proof([*timeline, *record], actor)
    return Evidence(
        referral=referral,
        alert=referral.alert,
        complaint=referral.complaint,
        timeline=timeline,
        record=record,
        filings=filings,
        checkins=checkins,
        answers=follow_up_answers([c.pk for c in checkins], referral.department_id),
        proof=proof,
        checkpoint=checkpoint,
        scope=scope,
    )


# --- printing ----------------------------------------------------------------------------------------


def _labelled(rows: Sequence[TraceRow]) -> list[dict[str, Any]]:
    from qijian.core.views import ACTION_LABELS

    return [{"row": r, "action": ACTION_LABELS.get(r.action, r.action)} for r in rows]


def packet_html(evidence: Evidence) -> str:
    by_checkin = {a.checkin_id: a for a in evidence.answers}
    context = {
        "e": evidence,
        "r": evidence.referral,
        "timeline": _labelled(evidence.timeline),
        "record": _labelled(evidence.record),
        "visits": [(c, by_checkin.get(c.pk)) for c in evidence.checkins],
        "printed_at": timezone.now(),
    }
    return render_to_string(PACKET_TEMPLATE, context)


def render_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    sheets = [CSS(string=render_to_string(name)) for name in STYLESHEETS]
    return HTML(string=html).render(stylesheets=sheets).write_pdf()  # type: ignore[no-any-return]


def packet_pdf(referral: Referral, *, actor: Any = None) -> bytes:
    """The packet's PDF bytes (writes the audit checkpoint it is sealed by)."""
    return render_pdf(packet_html(gather(referral, actor=actor)))
