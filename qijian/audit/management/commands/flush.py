"""``flush`` that respects the append-only audit tables.

Django's ``flush`` empties every table, which the audit triggers refuse. Outside the test
environment that refusal stands (the audit trail must outlive any reset). Inside the test
environment (the test runner's throw-away database, where ``mail.outbox`` exists) the triggers are
dropped, the tables flushed and the triggers re-created, all in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections, transaction

from qijian.audit import guard


def _test_environment() -> bool:
    return hasattr(mail, "outbox")


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        if not _test_environment():
            raise CommandError("审计日志只可追加: flush 会清空审计表,已拒绝。需要清除旧事件请用 purge_audit。")
        database = options["database"]
        connection = connections[database]
        with transaction.atomic(using=database):
            guard.remove(connection)
            super().handle(**options)
            guard.ensure(connection)
