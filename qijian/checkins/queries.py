"""Reads of the check-in app, always narrowed to what the user may see.

``enterprise_timeline`` is the trace of one enterprise (mechanism 3, "执法留痕和可追溯"): every audit
event of the filings, check-ins (check-outs, results, attachments) and alerts the user may see, in
the order they were written, each with its audit ``seq`` and SM3 ``hash``, so an export can be checked
against the chain (qijian.audit.verify) to prove nothing was altered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from qijian.accounts.choices import Role
from qijian.audit.models import AuditEvent
from qijian.checkins.models import Attachment, CheckIn
from qijian.core.models import VIEW
from qijian.enterprises.models import Enterprise
from qijian.inspections.models import Filing
from qijian.org.models import Inspector
from qijian.oversight.models import Alert

LIST_RELATED = ("enterprise", "inspector__department", "filing")
TRACE_LIMIT = 5000


def checkins_for(user: Any) -> QuerySet[CheckIn]:
    """Check-ins the user may see (overseers: all; department admin: its inspectors'; inspector: those it
    scanned or went along on), newest first, with what a list row prints joined."""
    return _visible(user).select_related(*LIST_RELATED).order_by("-scanned_at", "-id")


def _visible(user: Any) -> QuerySet[CheckIn]:
    if getattr(user, "role", None) == Role.INSPECTOR and getattr(user, "inspector_id", None):
        along = CheckIn.companions.through.objects.filter(inspector_id=user.inspector_id).values("checkin_id")
        return CheckIn.objects.filter(Q(inspector_id=user.inspector_id) | Q(pk__in=along))
    return CheckIn.objects.restrict(user, VIEW)


def checkin_detail(user: Any, pk: int) -> CheckIn | None:
    """One visible check-in with its filing, people and attachments (a fixed number of queries)."""
    people = Inspector.objects.select_related("department").order_by("certificate_no")
    return (
        checkins_for(user)
        .select_related("filing__item", "filing__department", "recorded_by")
        .prefetch_related(
            Prefetch("companions", queryset=people),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by").order_by("id")),
        )
        .filter(pk=pk)
        .first()
    )


def visit_checkin(user: Any, pk: int) -> CheckIn | None:
    """A check-in the user took part in (scanner or companion): the ones it may check out or add files to."""
    if getattr(user, "role", None) != Role.INSPECTOR:
        return None
    return _visible(user).select_related("enterprise", "inspector").filter(pk=pk).first()


def visible_enterprise(user: Any, pk: int) -> Enterprise | None:
    return Enterprise.objects.restrict(user, VIEW).filter(pk=pk).first()


def alerts_of(user: Any, checkin: CheckIn) -> QuerySet[Alert]:
    key = f"R01:checkin:{checkin.pk}"
    return Alert.objects.restrict(user, VIEW).filter(dedup_key=key).order_by("-raised_at")


# --- the trace -----------------------------------------------------------------------------------------


KIND_LABELS = {"inspections.filing": "报备", "checkins.checkin": "入企扫码", "oversight.alert": "监督预警"}


@dataclass(frozen=True)
class TraceRow:
    seq: int
    hash: str
    prev_hash: str
    at: dt.datetime
    kind: str  # 报备 / 入企扫码 / 监督预警
    subject: str  # the filing number, the check-in's inspector and time, the alert's rule
    action: str  # the audit action code
    actor: str
    detail: dict[str, Any]
    target_type: str
    target_id: str


def _subjects(user: Any, enterprise: Enterprise) -> dict[tuple[str, str], str]:
    """(target_type, target_id) → a label, for every visible object of the enterprise's trace."""
    found: dict[tuple[str, str], str] = {}
    filings = Filing.objects.restrict(user, VIEW).filter(enterprises=enterprise).values_list("pk", "number")
    found |= {("inspections.filing", str(pk)): number for pk, number in filings}
    visits = _visible(user).filter(enterprise=enterprise).select_related("inspector")
    found |= {("checkins.checkin", str(c.pk)): f"{c.inspector.name}({c.inspector.certificate_no})" for c in visits}
    alerts = Alert.objects.restrict(user, VIEW).filter(enterprise=enterprise).values_list("pk", "rule")
    found |= {("oversight.alert", str(pk)): rule for pk, rule in alerts}
    return found


def enterprise_timeline(user: Any, enterprise: Enterprise, *, limit: int = TRACE_LIMIT) -> list[TraceRow]:
    """The audit events of every visible filing, check-in and alert of ``enterprise``, oldest first."""
    subjects = _subjects(user, enterprise)
    if not subjects:
        return []
    by_type: dict[str, list[str]] = {}
    for target_type, target_id in subjects:
        by_type.setdefault(target_type, []).append(target_id)
    where = Q()
    for target_type, ids in by_type.items():
        where |= Q(target_type=target_type, target_id__in=ids)
    events = AuditEvent.objects.filter(where).select_related("actor").order_by("seq")[:limit]
    return [_trace_row(e, subjects) for e in events]


def _trace_row(event: AuditEvent, subjects: dict[tuple[str, str], str]) -> TraceRow:
    actor = event.actor.get_full_name() or event.actor.username if event.actor else event.actor_repr
    return TraceRow(
        seq=event.seq,
        hash=event.hash,
        prev_hash=event.prev_hash,
        at=event.occurred_at,
        kind=KIND_LABELS.get(event.target_type, event.target_type),
        subject=subjects.get((event.target_type, event.target_id), event.target_repr),
        action=event.action,
        actor=actor,
        detail=event.after if isinstance(event.after, dict) else {},
        target_type=event.target_type,
        target_id=event.target_id,
    )


def checkin_events(checkin: CheckIn, limit: int = 50) -> QuerySet[AuditEvent]:
    """The audit events of one check-in (check-in, attachments, check-out), oldest first."""
    qs = AuditEvent.objects.filter(target_type=checkin._meta.label_lower, target_id=str(checkin.pk))
    return qs.select_related("actor").order_by("seq")[:limit]
