"""Writes to the enterprise registry. Each function audits itself in its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from qijian.audit.services import record_event, snapshot
from qijian.core.codes.uscc import check_uscc
from qijian.enterprises.choices import UsccStatus
from qijian.enterprises.models import Enterprise, Industry


def apply_uscc_status(enterprise: Enterprise) -> str:
    """Set the code's validation status; return the warning for a pilot code ('' when valid)."""
    result = check_uscc(enterprise.uscc)
    enterprise.uscc = result.code
    enterprise.uscc_status = UsccStatus.VALID if result.ok else UsccStatus.PILOT
    return result.message


@transaction.atomic
def create_industry(*, actor: Any, code: str, name: str, parent: Industry | None = None) -> Industry:
    industry = Industry(code=code, name=name, parent=parent)
    industry.full_clean()
    industry.save(force_insert=True)
    record_event(actor=actor, action="enterprises.create_industry", target=industry, after=snapshot(industry))
    return industry


@transaction.atomic
def register_enterprise(*, actor: Any, **fields: Any) -> Enterprise:
    enterprise = Enterprise(**fields)
    warning = apply_uscc_status(enterprise)
    enterprise.full_clean()
    enterprise.save(force_insert=True)
    after = snapshot(enterprise) | ({"warning": warning} if warning else {})
    record_event(actor=actor, action="enterprises.register", target=enterprise, after=after)
    return enterprise


@transaction.atomic
def register_enterprises(*, actor: Any, enterprises: Sequence[Enterprise], batch_size: int = 2000) -> int:
    """Insert many already-validated enterprises at once; one audit event names the batch."""
    for enterprise in enterprises:
        apply_uscc_status(enterprise)
    created = Enterprise.objects.bulk_create(enterprises, batch_size=batch_size)
    record_event(
        actor=actor,
        action="enterprises.register_batch",
        target_type="enterprises.enterprise",
        target_id=f"batch:{len(created)}",
        after={"count": len(created), "uscc": [e.uscc for e in created[:1000]]},
    )
    return len(created)


@transaction.atomic
def set_grade(*, actor: Any, enterprise: Enterprise, grade: str, reason: str) -> Enterprise:
    before = snapshot(enterprise, ["grade"])
    enterprise.grade = grade
    enterprise.full_clean()
    enterprise.save(update_fields=["grade", "updated_at"])
    record_event(
        actor=actor,
        action="enterprises.set_grade",
        target=enterprise,
        before=before,
        after={"grade": grade, "reason": reason},
    )
    return enterprise
