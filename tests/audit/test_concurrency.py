"""Concurrent writers never fork the chain (PostgreSQL: advisory lock + READ COMMITTED head read)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction

from qijian.audit.models import AuditEvent
from qijian.audit.queries import verify_stored_chain
from qijian.audit.services import locked_head_query, record_event

THREADS, EACH = 8, 50


def _embedded_head() -> tuple[Any, Any]:
    """The chain's lock and head read inside a larger statement, as the check-in's insert reads them."""
    query = locked_head_query()
    assert query is not None
    with connection.cursor() as cursor:
        sql = f"SELECT 1, h.* FROM (SELECT 1) AS one LEFT JOIN ({query[0]}) AS h ON TRUE"  # noqa: S608
        cursor.execute(sql, query[1])
        row = cursor.fetchone()
        assert row is not None
        return row[1], row[2]


def _writer(index: int, barrier: threading.Barrier, errors: list[BaseException], embedded: bool) -> None:
    try:
        barrier.wait()
        for n in range(EACH):
            with transaction.atomic():  # each event in its own transaction, on this thread's own connection
                head = _embedded_head() if embedded else None
                after = {"n": n}
                record_event(actor=None, action="test.concurrent", target_id=f"{index}-{n}", after=after, head=head)
    except BaseException as exc:  # collected and asserted on by the main thread
        errors.append(exc)
    finally:
        connections.close_all()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers by IMMEDIATE transactions")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("embedded", [False, True], ids=["own-read", "head-read-in-another-statement"])
def test_eight_concurrent_writers_append_one_unbroken_chain(embedded: bool) -> None:
    barrier, errors = threading.Barrier(THREADS), list[BaseException]()
    threads = [threading.Thread(target=_writer, args=(i, barrier, errors, embedded)) for i in range(THREADS)]
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
