"""Decision numbers stay unique when the office records decisions at the same moment (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections

from qijian.core.testing import County, build_county
from qijian.meetings.models import Decision
from qijian.meetings.services import record_decision, record_meeting

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers by BEGIN IMMEDIATE"),
]

WRITERS = 6


def _record_in_thread(barrier: threading.Barrier, county: County, meeting: Any, errors: list[Exception]) -> None:
    try:
        barrier.wait()
        record_decision(actor=county.user("office"), meeting=meeting, subject="plan", text="并发记录")
    except Exception as exc:
        errors.append(exc)
    finally:
        connections.close_all()


def test_concurrent_decisions_get_distinct_sequential_numbers() -> None:
    county = build_county()
    meeting = record_meeting(actor=county.user("office"), title="会议", held_on=dt.date(2026, 3, 30), kind="ad_hoc")
    barrier, errors = threading.Barrier(WRITERS), []  # type: ignore[var-annotated]
    threads = [
        threading.Thread(target=_record_in_thread, args=(barrier, county, meeting, errors)) for _ in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Decision.objects.values_list("number", flat=True)) == [f"2026-{n:03d}" for n in range(1, WRITERS + 1)]
