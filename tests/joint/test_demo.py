"""The joint demo: 2027 Q1 proposals in the demo county — filed, declined, waiting, unplannable; idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.catalog import demo as catalog_demo  # imported at collection: it binds local_today on import
from qijian.core import demo as core_demo
from qijian.joint.models import PlanningRun, Proposal, Unplanned
from qijian.meetings import demo as meetings_demo
from qijian.plans import demo as plans_demo

SMALL = 400


@pytest.fixture
def demo_county(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    core_demo.build_demo(enterprises=SMALL, today=dt.date(2026, 11, 27))
    meetings_demo.load_demo()
    catalog_demo.load_demo()
    plans_demo.load_demo()


def test_demo_quarter_has_filed_declined_waiting_and_unplannable_visits_and_loads_once(demo_county: None) -> None:
    from qijian.joint.demo import load_demo

    load_demo()
    load_demo()
    run = PlanningRun.objects.get()
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert {"filed", "declined", "proposed"} <= statuses, statuses
    assert Proposal.objects.filter(status="filed", filing__joint=True).count() == 2
    assert Unplanned.objects.filter(reason__contains="每日可派检查组数为0").exists()
    assert run.visits_saved > 0 and run.visit_count >= run.lower_bound
