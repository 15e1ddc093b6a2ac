"""Reading the audit trail."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from qijian.audit.models import AuditEvent


def events_for(target: models.Model, *, limit: int = 50) -> QuerySet[AuditEvent]:
    """The newest events about one object: the activity timeline of a detail page."""
    qs = AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    return qs.select_related("actor").order_by("-seq")[:limit]
