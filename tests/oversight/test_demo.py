"""The oversight demo: runs on whatever demo data exists, and twice without duplicating anything."""

from __future__ import annotations

import datetime as dt

import pytest

from qijian.core.testing import County
from qijian.oversight import demo
from qijian.oversight.models import Alert
from tests.oversight.factories import make_filing

pytestmark = pytest.mark.django_db


def test_the_demo_raises_alerts_resolves_one_and_is_idempotent(county: County) -> None:
    day = dt.date.today() - dt.timedelta(days=10)
    make_filing(county, day=day, department=county.other_dept)
    make_filing(county, day=day + dt.timedelta(days=3))
    demo.load_demo()
    count = Alert.objects.count()
    assert Alert.objects.filter(rule="R06").exists()
    assert Alert.objects.filter(status="resolved", resolution=demo.DEMO_RESOLUTION).count() == 1
    demo.load_demo()
    assert Alert.objects.count() == count
    assert Alert.objects.filter(status="resolved").count() == 1


def test_the_demo_runs_on_an_empty_database(db: None) -> None:
    demo.load_demo()
    assert Alert.objects.count() == 0
