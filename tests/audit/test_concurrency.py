"""Concurrent writers never fork the chain (PostgreSQL: advisory lock + READ COMMITTED head read)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from qijian.audit.models import AuditEvent
from qijian.audit.queries import verify_stored_chain
from qijian.audit.services import record_event

THREADS, EACH = 8, 50


def _writer(index: int, barrier: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        barrier.wait()
        for n in range(EACH):
            with transaction.atomic():  # each event in its own transaction, on this thread's own connection
                record_event(actor=None, action="test.concurrent", target_id=f"{index}-{n}", after={"n": n})
    except BaseException as exc:  # collected and asserted on by the main thread
        errors.append(exc)
    finally:
        connections.close_all()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers by IMMEDIATE transactions")
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_writers_append_one_unbroken_chain() -> None:
    barrier, errors = threading.Barrier(THREADS), list[BaseException]()
    threads = [threading.Thread(target=_writer, args=(i, barrier, errors)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, THREADS * EACH + 1))  # no gap, no duplicate
    assert AuditEvent.objects.values("prev_hash").distinct().count() == THREADS * EACH  # no fork
    report = verify_stored_chain()
    assert report.ok and report.rows == THREADS * EACH
