"""Reads of check-in records (lists, detail, attachments), always narrowed to what the user may see."""

from __future__ import annotations

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


def checkins_for(user: Any) -> QuerySet[CheckIn]:
    """Check-ins the user may see (overseers: all; department admin: its inspectors'; inspector: those it
    scanned or went along on), newest first, with what a list row prints joined."""
    return visible_checkins(user).select_related(*LIST_RELATED).order_by("-scanned_at", "-id")


def visible_checkins(user: Any) -> QuerySet[CheckIn]:
    """Check-ins the user may see, unordered (an inspector: those it scanned or went along on)."""
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
    return visible_checkins(user).select_related("enterprise", "inspector").filter(pk=pk).first()


def visible_enterprise(user: Any, pk: int) -> Enterprise | None:
    return Enterprise.objects.restrict(user, VIEW).filter(pk=pk).first()


def visible_filing(user: Any, pk: int) -> Filing | None:
    return Filing.objects.restrict(user, VIEW).select_related("item", "department").filter(pk=pk).first()


def alerts_of(user: Any, checkin: CheckIn) -> QuerySet[Alert]:
    key = f"R01:checkin:{checkin.pk}"
    return Alert.objects.restrict(user, VIEW).filter(dedup_key=key).order_by("-raised_at")


def checkin_events(checkin: CheckIn, limit: int = 50) -> QuerySet[AuditEvent]:
    """The audit events of one check-in (check-in, attachments, check-out), oldest first."""
    qs = AuditEvent.objects.filter(target_type=checkin._meta.label_lower, target_id=str(checkin.pk))
    return qs.select_related("actor").order_by("seq")[:limit]
