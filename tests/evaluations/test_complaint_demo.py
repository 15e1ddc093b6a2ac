"""The complaints demo: every source, replied / handled / rejected / overdue complaints, the referral
candidate, twice without duplicating anything, and nothing at all on an empty database."""

from __future__ import annotations

from typing import Any

import pytest

from qijian.accounts.models import User
from qijian.audit.models import AuditEvent
from qijian.core.testing import County
from qijian.evaluations import demo_complaints as demo
from qijian.evaluations.models import Complaint
from qijian.evaluations.queries.complaints import overdue_q
from qijian.org.models import Department
from tests.evaluations.complaint_factories import build_inspection


@pytest.fixture
def demo_county(county: County) -> County:
    """The demo's account names and department codes on the test county, with a check-in at the enterprise."""
    build_inspection(county)
    for role, name in (("office", "office"), ("supervisor", "supervisor"), ("enterprise", "enterprise1")):
        User.objects.filter(pk=county.user(role).pk).update(username=name)
    Department.objects.filter(pk=county.dept.pk).update(code="130921-YJGLJ")
    Department.objects.filter(pk=county.other_dept.pk).update(code="130921-STHJ")
    Department.objects.create(name="县市场监管局", code="130921-SCJGJ", region=county.county)
    return county


def test_the_demo_covers_every_source_and_state_and_is_idempotent(demo_county: County, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    demo.load_demo()
    rows = Complaint.objects.all()
    assert set(rows.values_list("source", flat=True)) == {"enterprise", "staff", "hotline", "direct"}
    assert set(rows.values_list("status", flat=True)) == {"handling", "replied", "rejected", "received"}
    assert rows.filter(overdue_q()).filter(external_id="CZ12345-DEMO-0101").exists()
    candidate = demo.referral_complaint()
    assert candidate is not None and candidate.checkin is not None and candidate.status == "handling"
    counts = (rows.count(), AuditEvent.objects.count())
    demo.load_demo()
    assert (Complaint.objects.count(), AuditEvent.objects.count()) == counts


def test_the_demo_runs_on_an_empty_database(db: None) -> None:
    demo.load_demo()
    assert not Complaint.objects.exists()
