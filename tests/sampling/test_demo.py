"""The sampling demo: a published draw of the annual random plan's first entry that replays; idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.catalog import demo as catalog_demo  # imported at collection: it binds local_today on import
from qijian.core import demo as core_demo
from qijian.meetings import demo as meetings_demo
from qijian.plans import demo as plans_demo
from qijian.sampling import services
from qijian.sampling.models import Draw

SMALL = 400


@pytest.fixture
def demo_county(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    core_demo.build_demo(enterprises=SMALL, today=dt.date(2026, 11, 27))
    meetings_demo.load_demo()
    catalog_demo.load_demo()
    plans_demo.load_demo()


def test_demo_draw_is_published_replays_and_loads_once(demo_county: None) -> None:
    from qijian.sampling.demo import load_demo

    load_demo()
    load_demo()
    draw = Draw.objects.get()
    assert draw.status == "published" and draw.results.count() == sum(draw.quotas.values()) > 0
    assert services.verify(draw).ok
