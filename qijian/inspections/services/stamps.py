"""Filing services: stamps from the mail worker and the office's receipt."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from qijian.accounts.choices import Role
from qijian.audit.services import record_event
from qijian.inspections.models import Filing
from qijian.inspections.services.checks import _now

# --- stamps from the mail worker and the office's receipt --------------------------------------------


def mark_office_notified(filing_id: str) -> None:
    """Called by the mail task after the office's mail was sent: stamp the filing (first send only)."""
    _stamp(filing_id, "office_notified_at", "inspections.office_notified")


def mark_township_notified(filing_id: str) -> None:
    """Called by the mail task after a township notice was sent (the first stamps the filing)."""
    _stamp(filing_id, "township_notified_at", "inspections.township_notified")


@transaction.atomic
def _stamp(filing_id: str, field_name: str, action: str) -> None:
    now = _now()
    filing = Filing.objects.filter(pk=int(filing_id), **{f"{field_name}__isnull": True}).first()
    if filing is None:
        return
    setattr(filing, field_name, now)
    filing.save(update_fields=[field_name, "updated_at"])
    record_event(actor=None, action=action, target=filing, after={field_name: now.isoformat()})


@transaction.atomic
def mark_read_by_office(*, actor: Any, filing: Filing) -> bool:
    """The office's receipt of a filing (签收): the first office user to open it; later opens change nothing."""
    if getattr(actor, "role", None) != Role.OFFICE or filing.office_read_at is not None:
        return False
    now = _now()
    updated = Filing.objects.filter(pk=filing.pk, office_read_at__isnull=True).update(
        office_read_at=now, office_read_by=actor, updated_at=now
    )
    if updated:
        filing.office_read_at, filing.office_read_by = now, actor
        record_event(actor=actor, action="inspections.office_read", target=filing, after={"read_at": now.isoformat()})
    return bool(updated)
