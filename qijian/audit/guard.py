"""Database triggers that keep the audit tables append-only, on PostgreSQL and on SQLite.

- Events: UPDATE, DELETE and TRUNCATE are refused. The one exception is a purge (services in
  purge.py): on PostgreSQL it sets the transaction-local ``qijian.audit_purge = 'on'``, on SQLite it
  holds a row in ``audit_auditpurgepermit``; even then the trigger refuses any row younger than
  183 days (the legal floor, hard-coded here so no setting can lower it).
- Checkpoints: UPDATE, DELETE and TRUNCATE are always refused.

Someone who owns the database can still drop triggers; the hash chain and the signed, exported
checkpoints are what catch that (docs/audit.md).
"""

from __future__ import annotations

from typing import Any

FLOOR_DAYS = 183
EVENTS = "audit_auditevent"
CHECKPOINTS = "audit_auditcheckpoint"
PERMITS = "audit_auditpurgepermit"
MESSAGE = "审计记录只可追加,禁止修改或删除"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION qijian_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $guard$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = '{EVENTS}'
     AND coalesce(current_setting('qijian.audit_purge', true), '') = 'on' THEN
    IF OLD.occurred_at < now() - interval '{FLOOR_DAYS} days' THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION '审计事件 #% 未满 {FLOOR_DAYS} 天,不得清除', OLD.seq USING ERRCODE = 'insufficient_privilege';
  END IF;
  RAISE EXCEPTION '{MESSAGE} (% %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$guard$;
"""


def _pg_install() -> list[str]:
    statements = [_PG_FUNCTION]
    for table in (EVENTS, CHECKPOINTS):
        statements += [
            f"CREATE TRIGGER qijian_guard_rows BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION qijian_audit_guard()",
            f"CREATE TRIGGER qijian_guard_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION qijian_audit_guard()",
        ]
    return statements


def _pg_remove() -> list[str]:
    statements = []
    for table in (EVENTS, CHECKPOINTS):
        statements += [
            f"DROP TRIGGER IF EXISTS qijian_guard_rows ON {table}",
            f"DROP TRIGGER IF EXISTS qijian_guard_truncate ON {table}",
        ]
    return [*statements, "DROP FUNCTION IF EXISTS qijian_audit_guard()"]


def _sqlite_refuse(name: str, when: str, table: str, condition: str = "") -> str:
    return (
        f"CREATE TRIGGER {name} BEFORE {when} ON {table} {condition} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({when} {table})'); END"
    )


# Constants only, no input anywhere in these statements.
_SQLITE_TOO_YOUNG = (
    f"WHEN NOT EXISTS (SELECT 1 FROM {PERMITS} p WHERE OLD.seq <= p.up_to_seq) "  # noqa: S608
    f"OR OLD.occurred_at >= strftime('%Y-%m-%d %H:%M:%f', 'now', '-{FLOOR_DAYS} days')"
)
_SQLITE_TRIGGERS = {
    "qijian_event_no_update": ("UPDATE", EVENTS, ""),
    "qijian_event_no_delete": ("DELETE", EVENTS, _SQLITE_TOO_YOUNG),
    "qijian_checkpoint_no_update": ("UPDATE", CHECKPOINTS, ""),
    "qijian_checkpoint_no_delete": ("DELETE", CHECKPOINTS, ""),
}


def install_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return _pg_install()
    if vendor == "sqlite":
        return [_sqlite_refuse(name, *spec) for name, spec in _SQLITE_TRIGGERS.items()]
    return []


def remove_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return _pg_remove()
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS]
    return []


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: Any) -> None:
    _run(connection, install_statements(connection.vendor))


def remove(connection: Any) -> None:
    _run(connection, remove_statements(connection.vendor))


def ensure(connection: Any) -> None:
    """(Re)create the triggers if the audit tables exist: idempotent, run after every migrate.

    SQLite rebuilds a table (and loses its triggers) whenever a migration alters it; this puts them back.
    """
    if EVENTS in connection.introspection.table_names():
        remove(connection)
        install(connection)


def install_for_migration(apps: Any, schema_editor: Any) -> None:
    install(schema_editor.connection)


def remove_for_migration(apps: Any, schema_editor: Any) -> None:
    remove(schema_editor.connection)
