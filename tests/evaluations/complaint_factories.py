"""Helpers of the complaint tests: an inspection of the first enterprise (a filing of the first department
and a check-in under it), a filing of the second enterprise, complaints registered through the services,
and sample exports under tests/evaluations/data/."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qijian.checkins import services as checkins
from qijian.checkins.models import CheckIn
from qijian.core.testing import County
from qijian.evaluations.models import Complaint
from qijian.evaluations.services import complaints as services
from qijian.inspections.models import Filing
from tests.checkins.visits import build_visit, make_filing, now

DATA = Path(__file__).parent / "data"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@dataclass
class Inspection:
    filing: Filing  # of the first department, covering the first enterprise
    checkin: CheckIn  # the first inspector's, under that filing
    other_filing: Filing  # of the first department, covering the second enterprise only


def build_inspection(county: County) -> Inspection:
    visit = build_visit(county)
    row, _ = checkins.record_checkin(
        actor=visit.inspector_user,
        idempotency_key=uuid.uuid4().hex,
        enterprise=county.enterprise,
        companions=[visit.colleague.certificate_no],
    )
    other = make_filing(
        visit.setup, start=now() - dt.timedelta(hours=1), end=now() + dt.timedelta(hours=8), number="BB2"
    )
    other.enterprises.set([county.other_enterprise])
    return Inspection(visit.filing, row, other)


def staff_complaint(county: County, **extra: Any) -> Complaint:
    fields: dict[str, Any] = {
        "summary": "执法人员检查时要求企业购买指定的灭火器。",
        "complainant": "赵六",
        "contact": "13800000001",
    }
    return services.register_complaint(actor=county.user("office"), **(fields | extra))


def enterprise_complaint(county: County, inspection: Inspection, **extra: Any) -> Complaint:
    fields: dict[str, Any] = {"summary": "检查人员未出示执法证件。", "filing": inspection.filing}
    return services.submit_complaint(actor=county.user("enterprise"), **(fields | extra))


def accepted(county: County, complaint: Complaint) -> Complaint:
    return services.accept_complaint(
        actor=county.user("office"), complaint=complaint, handler=county.user("supervisor")
    )


def use_immediate_tasks(settings: Any) -> None:
    """Queued mail is sent at once (to Django's locmem outbox) when a captured on-commit runs."""
    settings.TASKS = IMMEDIATE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
