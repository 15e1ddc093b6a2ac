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
QUEUE = 100  # check-ins per offline-queue flush


def _send(visit: Visit, key: str) -> tuple[CheckIn, bool]:
    return services.record_checkin(
        actor=visit.inspector_user,
        idempotency_key=key,
        enterprise=visit.county.enterprise,
        companions=[visit.colleague],
        client_time=now(),
        source="offline",
    )


def _item(visit: Visit, key: str) -> dict[str, Any]:
    return {
        "idempotency_key": key,
        "enterprise": visit.county.enterprise,
        "companions": [visit.colleague],
        "client_time": now(),
        "source": "offline",
    }


def test_replaying_10000_checkins_with_duplicates_stores_one_row_per_key(county: County) -> None:
    """Phones flush their offline queues in batches (QUEUE items per call of record_checkins)."""
    visit = build_visit(county)
    keys = [f"offline-{n:05d}" for n in range(DISTINCT)]
    rng = random.Random(20260101)
    sent = keys + [rng.choice(keys) for _ in range(REPEATS)]
    rng.shuffle(sent)
    started, outcomes = time.perf_counter(), []
    for first in range(0, len(sent), QUEUE):
        items = [_item(visit, key) for key in sent[first : first + QUEUE]]
        outcomes += services.record_checkins(actor=visit.inspector_user, items=items)
    elapsed = time.perf_counter() - started
    print(f"\n10,000 check-ins replayed in {elapsed:.1f} s ({len(sent) / elapsed:.0f}/s)")
    assert len(sent) == DISTINCT + REPEATS == len(outcomes)
    assert not [o.error for o in outcomes if o.error]
    assert sum(o.created for o in outcomes) == DISTINCT
    assert CheckIn.objects.count() == DISTINCT
    assert CheckIn.objects.values("idempotency_key").distinct().count() == DISTINCT
    assert AuditEvent.objects.filter(action="checkins.record_checkin").count() == DISTINCT
    assert not CheckIn.objects.filter(unfiled=True).exists()


def test_single_replays_return_the_first_row(county: County) -> None:
    """The one-at-a-time path (the API's POST) keeps one row per key too."""
    visit = build_visit(county)
    keys = [f"k{n}" for n in range(30)] * 3
    random.Random(7).shuffle(keys)
    first: dict[str, int] = {}
    for key in keys:
        row, created = _send(visit, key)
        assert created == (key not in first) and first.setdefault(key, row.pk) == row.pk
    assert CheckIn.objects.count() == 30


def test_batch_reports_refusals_per_item_and_keeps_the_rest(county: County) -> None:
    visit = build_visit(county)
    items = [_item(visit, "ok-1"), _item(visit, "ok-1") | {"latitude": "95"}, _item(visit, "bad") | {"latitude": "95"}]
    outcomes = services.record_checkins(actor=visit.inspector_user, items=items)
    assert [o.created for o in outcomes] == [True, False, False]
    assert outcomes[1].checkin == outcomes[0].checkin and "纬度" in outcomes[2].error
    assert CheckIn.objects.count() == 1


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
