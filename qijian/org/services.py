"""Writes to the organisation registry. Each function audits itself in its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from qijian.audit.services import record_event, snapshot
from qijian.core.imports.digest import sm3_of_keys
from qijian.org.models import Conflict, Department, EnforcementPlatform, Inspector, Region

_LISTED_KEYS = 1000


@transaction.atomic
def create_region(*, actor: Any, code: str, name: str, level: str, parent: Region | None = None) -> Region:
    region = Region(code=code, name=name, level=level, parent=parent)
    region.full_clean()
    region.save(force_insert=True)
    record_event(actor=actor, action="org.create_region", target=region, after=snapshot(region))
    return region


@transaction.atomic
def create_department(*, actor: Any, **fields: Any) -> Department:
    department = Department(**fields)
    department.full_clean()
    department.save(force_insert=True)
    record_event(actor=actor, action="org.create_department", target=department, after=snapshot(department))
    return department


@transaction.atomic
def add_platform(*, actor: Any, department: Department, **fields: Any) -> EnforcementPlatform:
    platform = EnforcementPlatform(department=department, **fields)
    platform.full_clean()
    platform.save(force_insert=True)
    record_event(actor=actor, action="org.add_platform", target=platform, after=snapshot(platform))
    return platform


@transaction.atomic
def register_inspectors(*, actor: Any, inspectors: Sequence[Inspector], batch_size: int = 2000) -> int:
    """Insert many validated inspectors at once; one audit event names the batch."""
    created = Inspector.objects.bulk_create(inspectors, batch_size=batch_size)
    numbers = [i.certificate_no for i in created]
    after: dict[str, Any] = {"count": len(numbers), "certificate_sm3": sm3_of_keys(numbers)}
    if len(numbers) <= _LISTED_KEYS:  # a big batch is audited by its count and digest only
        after["certificate_nos"] = numbers
    record_event(
        actor=actor,
        action="org.register_inspectors",
        target_type="org.inspector",
        target_id=f"batch:{len(created)}",
        after=after,
    )
    return len(created)


@transaction.atomic
def declare_conflict(*, actor: Any, inspector: Inspector, enterprise: Any, reason: str, declared_on: Any) -> Conflict:
    conflict = Conflict(inspector=inspector, enterprise=enterprise, reason=reason, declared_on=declared_on)
    conflict.full_clean()
    conflict.save(force_insert=True)
    record_event(actor=actor, action="org.declare_conflict", target=conflict, after=snapshot(conflict))
    return conflict
