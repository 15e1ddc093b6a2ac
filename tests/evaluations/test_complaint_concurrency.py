"""Two complaints registered at the same moment get two numbers (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from qijian.core.testing import County
from qijian.evaluations.models import Complaint
from qijian.evaluations.services import complaints as services
from tests.evaluations.complaint_factories import staff_complaint

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")


def _racing_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both writers read the same last number before either inserts (the race a lock-free counter has)."""
    barrier, real, seen = threading.Barrier(2, timeout=10), services._next_number, threading.local()

    def next_number(year: int) -> str:
        number = real(year)
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait()
        return number

    monkeypatch.setattr(services, "_next_number", next_number)


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_numbers(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    _racing_numbers(monkeypatch)
    errors: list[Any] = []

    def register(n: int) -> None:
        try:
            staff_complaint(county, summary=f"同时登记的投诉{n}")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Complaint.objects.values_list("number", flat=True))
    assert len(numbers) == 2 and len(set(numbers)) == 2
