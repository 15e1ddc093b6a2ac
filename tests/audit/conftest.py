from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from qijian.audit import guard


@contextmanager
def guard_lifted() -> Iterator[None]:
    """Play an attacker with database access: drop the append-only triggers, then put them back."""
    guard.remove(connection)
    try:
        yield
    finally:
        guard.install(connection)
