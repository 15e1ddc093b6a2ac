"""Reads of the oversight app, always narrowed to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from qijian.core.models import VIEW, Notification
from qijian.oversight.models import Alert

ALERT_RELATED = ("department", "enterprise", "filing", "plan__department", "acknowledged_by", "resolved_by")


def alerts_for(user: Any) -> QuerySet[Alert]:
    return Alert.objects.restrict(user, VIEW).select_related(*ALERT_RELATED)


def alert_rows(user: Any) -> QuerySet[Alert]:
    """Alerts for a list page: the list's columns only need the department and enterprise."""
    return Alert.objects.restrict(user, VIEW).select_related("department", "enterprise")


def inbox_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first."""
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return Notification.objects.restrict(user, VIEW).annotate(unread_rank=unread_first)


def unread_count(user: Any) -> int:
    return Notification.objects.restrict(user, VIEW).filter(read_at__isnull=True).count()
