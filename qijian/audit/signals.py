"""Signal receivers of the audit app.

Sign-ins (login, failed login, logout, lock-out) are recorded by qijian/accounts/signals.py, which
owns the login flow; this module keeps the append-only triggers in place after every migrate.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

from qijian.audit import guard


def ensure_guard(sender: Any, using: str = "default", **kwargs: Any) -> None:
    guard.ensure(connections[using])
