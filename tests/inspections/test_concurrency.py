"""Daily filing numbers stay unique when department admins file at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from qijian.inspections import services
from qijian.inspections.models import Filing
from tests.inspections.conftest import Setup, at

WRITERS = 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_get_distinct_numbers(setup: Setup, settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers up front (BEGIN IMMEDIATE): no race to test")
    barrier, errors = threading.Barrier(WRITERS), []

    def file(day: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.file_planned(
                actor=setup.admin,
                entry=setup.entry,
                enterprises=[setup.county.enterprise],
                inspectors=setup.pair,
                window_start=at(day, 9),
                window_end=at(day, 10),
            )
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file, args=(day,)) for day in range(1, WRITERS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = sorted(Filing.objects.values_list("number", flat=True))
    assert len(set(numbers)) == WRITERS and [n[-4:] for n in numbers] == ["0001", "0002", "0003", "0004"]
