"""Exactly one check-in per idempotency key: a 10,000-request offline replay with duplicates, and
concurrent duplicates racing on PostgreSQL."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import pytest
from django.db import connection, connections

from qijian.audit.models import AuditEvent
from qijian.checkins import services
from qijian.checkins.models import CheckIn
from qijian.core.testing import County
from tests.checkins.visits import Visit, build_visit, now

DISTINCT, REPEATS = 7_000, 3_000
RACERS = 8


def _send(visit: Visit, key: str) -> tuple[CheckIn, bool]:
    return services.record_checkin(
        actor=visit.inspector_user,
        idempotency_key=key,
        enterprise=visit.county.enterprise,
        companions=[visit.colleague],
        client_time=now(),
        source="offline",
    )


def test_replaying_10000_checkins_with_duplicates_stores_one_row_per_key(county: County) -> None:
    visit = build_visit(county)
    keys = [f"offline-{n:05d}" for n in range(DISTINCT)]
    rng = random.Random(20260101)
    batch = keys + [rng.choice(keys) for _ in range(REPEATS)]
    rng.shuffle(batch)
    started, created = time.perf_counter(), 0
    for key in batch:
        created += _send(visit, key)[1]
    elapsed = time.perf_counter() - started
    print(f"\n10,000 check-ins replayed in {elapsed:.1f} s ({len(batch) / elapsed:.0f}/s)")
    assert len(batch) == DISTINCT + REPEATS
    assert created == DISTINCT
    assert CheckIn.objects.count() == DISTINCT
    assert CheckIn.objects.values("idempotency_key").distinct().count() == DISTINCT
    assert AuditEvent.objects.filter(action="checkins.record_checkin").count() == DISTINCT
    assert not CheckIn.objects.filter(unfiled=True).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_store_one_row(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers up front (BEGIN IMMEDIATE): no race to test")
    from qijian.core.testing import build_county

    visit = build_visit(build_county())
    barrier, errors, results = threading.Barrier(RACERS), [], []

    def race() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(_send(visit, "same-key-at-once"))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert CheckIn.objects.filter(idempotency_key="same-key-at-once").count() == 1
    assert sum(created for _, created in results) == 1
    assert len({row.pk for row, _ in results}) == 1
    assert AuditEvent.objects.filter(action="checkins.record_checkin").count() == 1
