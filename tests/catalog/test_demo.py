"""The demo catalogs and meetings: built through the services, realistic, idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.catalog import demo as catalog_demo
from qijian.catalog import queries
from qijian.catalog.choices import CatalogStatus
from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core import demo as core_demo
from qijian.meetings import demo as meetings_demo
from qijian.meetings.models import Decision, Meeting
from qijian.org.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    core_demo.build_demo(enterprises=20, today=dt.date(2026, 3, 16))
    meetings_demo.load_demo()
    catalog_demo.load_demo()


def test_every_county_enforcement_department_has_a_catalog_in_force_from_2025(demo: None) -> None:
    departments = Department.objects.filter(level="county", region__code="130921", is_enforcement=True)
    assert departments.count() == 29
    for department in departments:
        version = queries.effective_version(department.pk, dt.date(2025, 1, 1))
        assert version is not None, department.name
        assert 3 <= version.items.count() <= 6
        assert queries.effective_version(department.pk, dt.date(2024, 12, 31)) is None


def test_demo_items_mix_modes_and_cite_real_laws(demo: None) -> None:
    items = CatalogItem.objects.filter(version__status=CatalogStatus.APPROVED)
    assert {i.mode for i in items} == {"random", "targeted"}
    assert items.filter(joinable=False).exists() and items.filter(industries__isnull=False).exists()
    assert all(i.law.startswith("《") for i in items)
    yj = queries.effective_items(Department.objects.get(code="130921-YJGLJ").pk, dt.date(2026, 1, 1))
    assert yj.get(code="YJ-001").basis == "《中华人民共和国安全生产法》第六十五条"


def test_market_supervision_has_a_submitted_revision_waiting(demo: None) -> None:
    versions = CatalogVersion.objects.filter(department__code="130921-SCJGJ").order_by("number")
    assert [v.status for v in versions] == ["approved", "submitted"]
    assert set(versions[1].items.values_list("code", flat=True)) - set(
        versions[0].items.values_list("code", flat=True)
    ) == {"SC-007"}
    assert Decision.objects.filter(meeting__title=meetings_demo.QUARTERLY_MEETING, subject="catalog").exists()


def test_loading_twice_creates_nothing_new(demo: None) -> None:
    counts = (
        Meeting.objects.count(),
        Decision.objects.count(),
        CatalogVersion.objects.count(),
        CatalogItem.objects.count(),
    )
    meetings_demo.load_demo()
    catalog_demo.load_demo()
    assert (
        Meeting.objects.count(),
        Decision.objects.count(),
        CatalogVersion.objects.count(),
        CatalogItem.objects.count(),
    ) == counts
    ours = Meeting.objects.filter(title__in=[meetings_demo.CATALOG_MEETING, meetings_demo.QUARTERLY_MEETING])
    # the meetings' own six decisions, and the grading list approved at the 2025 Q4 meeting (grading demo)
    assert ours.count() == 2 and Decision.objects.filter(meeting__in=ours).count() == 7


def test_office_can_approve_the_demo_revision_from_its_page(demo: None) -> None:
    from django.test import Client
    from django.urls import reverse

    from qijian.accounts.models import User
    from qijian.core.calendar import local_today
    from qijian.core.testing import login_verified

    client = Client()
    login_verified(client, User.objects.get(username="office"))
    assert "县市场监督管理局 第2版" in client.get(reverse("catalog:home")).content.decode()
    version = CatalogVersion.objects.get(department__code="130921-SCJGJ", status="submitted")
    page = client.get(reverse("catalog:version_detail", args=[version.pk])).content.decode()
    decision = Decision.objects.get(meeting__title=meetings_demo.QUARTERLY_MEETING, subject="catalog")
    assert decision.number == "2025-003" and decision.number in page
    tomorrow = local_today() + dt.timedelta(days=1)
    data = {"decision": decision.pk, "effective_from": tomorrow.isoformat()}
    client.post(reverse("catalog:version_approve", args=[version.pk]), data)
    department = version.department_id
    assert queries.effective_codes(department, tomorrow) - queries.effective_codes(department, local_today()) == {
        "SC-007"
    }
