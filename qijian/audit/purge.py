"""Purging audit events older than the retention period, without breaking verification.

Before rows go, a signed purge anchor (a checkpoint at the cut) is written in the same transaction;
verification then starts at the first remaining event and checks that it links to the anchor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from qijian.audit.guard import FLOOR_DAYS
from qijian.audit.models import AuditCheckpoint, AuditEvent, AuditPurgePermit
from qijian.audit.services import lock_chain, record_event, sign_anchor
from qijian.policy.loader import figure


class PurgeRefusedError(Exception):
    """A purge that would remove events still within the retention period (or nothing at all)."""


@dataclass(frozen=True)
class PurgeResult:
    anchor: AuditCheckpoint
    deleted: int


def retention_days() -> int:
    """The longest of: the legal floor (183), the setting, the policy file's [audit] retention_days."""
    return max(FLOOR_DAYS, int(settings.QJ_AUDIT_RETENTION_DAYS), int(figure("audit.retention_days")))


def latest_purgeable_date(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) - dt.timedelta(days=retention_days())


def _check_date(before: dt.date) -> dt.datetime:
    limit = latest_purgeable_date()
    if before > limit:
        raise PurgeRefusedError(
            f"审计事件至少保留 {retention_days()} 天: 只能清除 {limit.isoformat()} (含)之前的日期,"
            f"{before.isoformat()} 太近,已拒绝,未删除任何事件。"
        )
    return timezone.make_aware(dt.datetime.combine(before, dt.time.min))


def _cut_point(cutoff: dt.datetime) -> tuple[int, str] | None:
    """The last event of the oldest run of events that all happened before ``cutoff``."""
    bounds = AuditEvent.objects.aggregate(first=Min("seq"), last=Max("seq"))
    first_kept = AuditEvent.objects.filter(occurred_at__gte=cutoff).aggregate(seq=Min("seq"))["seq"]
    up_to = bounds["last"] if first_kept is None else first_kept - 1
    if bounds["first"] is None or up_to is None or up_to < bounds["first"]:
        return None
    return up_to, AuditEvent.objects.values_list("hash", flat=True).get(seq=up_to)


def _delete_through(up_to: int) -> int:
    """Delete events with seq <= up_to through the triggers' controlled door."""
    if connection.vendor == "sqlite":
        AuditPurgePermit.objects.create(up_to_seq=up_to)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('qijian.audit_purge', 'on', true)")
        cursor.execute("DELETE FROM audit_auditevent WHERE seq <= %s", [up_to])
        deleted = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('qijian.audit_purge', 'off', true)")
    AuditPurgePermit.objects.all().delete()
    return deleted


def purge_events(*, actor: Any, before: dt.date) -> PurgeResult:
    """Remove the events that happened before ``before`` (local date), if older than the retention."""
    cutoff = _check_date(before)
    with transaction.atomic():
        lock_chain()
        cut = _cut_point(cutoff)
        if cut is None:
            raise PurgeRefusedError(f"没有早于 {before.isoformat()} 的审计事件可清除。")
        anchor = sign_anchor(seq=cut[0], head_hash=cut[1])
        deleted = _delete_through(cut[0])
        after = {"before": before, "up_to_seq": cut[0], "deleted": deleted, "retention_days": retention_days()}
        record_event(actor=actor, action="audit.purge", target=anchor, after=after)
    return PurgeResult(anchor=anchor, deleted=deleted)
