"""The demo grading: imported indicators, the 2026 list approved and in force with A, B and C grades."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.audit.models import AuditEvent
from qijian.core import demo as core_demo
from qijian.enterprises.models import Enterprise
from qijian.grading import demo
from qijian.grading.models import GradeList, IndicatorValue
from qijian.meetings import demo as meetings_demo
from tests.plans.factories import freeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    core_demo.build_demo(enterprises=120, today=dt.date(2026, 3, 16))
    meetings_demo.load_demo()
    freeze(monkeypatch, dt.date(2026, 3, 16))
    demo.load_demo()


def test_the_2026_list_is_in_force_with_every_grade(loaded: None) -> None:
    grade_list = GradeList.objects.get()
    assert (grade_list.year, grade_list.status, grade_list.decision.subject) == (2026, "in_force", "grading")  # type: ignore[union-attr]
    grades = set(Enterprise.objects.exclude(status__in=("closed", "revoked")).values_list("grade", flat=True))
    assert grades == {"A", "B", "C"}
    assert grade_list.entries.exclude(override_reason="").count() == 1
    assert IndicatorValue.objects.filter(year=2025).count() > 100


def test_loading_twice_changes_nothing(loaded: None) -> None:
    events = AuditEvent.objects.count()
    demo.load_demo()
    assert AuditEvent.objects.count() == events and GradeList.objects.count() == 1
