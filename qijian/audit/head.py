"""The chain lock and the head read in one round trip on PostgreSQL (``qijian_audit_locked_head``).

``record_event`` needs both on every audited write: the advisory lock, then the newest (seq, hash) read
with a snapshot taken AFTER the lock is granted — in one plain statement the snapshot would predate the
wait and could miss the previous holder's event. A VOLATILE PL/pgSQL function takes a fresh snapshot
for each query it runs, so the read inside it, after ``pg_advisory_xact_lock``, sees what the previous
holder committed (tests/audit/test_concurrency.py: concurrent writers, no fork). SQLite serialises
writers with IMMEDIATE transactions and reads the head directly.
"""

from __future__ import annotations

from typing import Any

FUNCTION = "qijian_audit_locked_head"

_CREATE = """
CREATE OR REPLACE FUNCTION qijian_audit_locked_head(lock_key bigint) RETURNS TABLE (head_seq bigint, head_hash varchar)
LANGUAGE plpgsql VOLATILE AS $head$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  RETURN QUERY SELECT e.seq::bigint, e.hash FROM audit_auditevent e ORDER BY e.seq DESC LIMIT 1;
END
$head$;
"""


def install_for_migration(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_CREATE)


def remove_for_migration(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(bigint)")
