"""PostgreSQL bulk loading: COPY rows into a table, optionally with its secondary indexes deferred.

Inserting a million rows into a table with a dozen indexes and two foreign keys costs far more in
index maintenance and per-row foreign-key triggers than in the COPY itself. PostgreSQL's guide
("Populating a Database") advises dropping indexes and foreign keys before a large load and creating
them again afterwards; ``secondary_indexes_deferred`` does exactly that inside the caller's transaction,
so a failure rolls everything back and the table is never left without them. The table is locked
against other writers and readers until the transaction ends, so it is used only when the load is
large compared with what the table already holds (``worth_deferring``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from psycopg import sql

from qijian.core.imports.copytext import ColumnRows, column, copy_line, copy_text

__all__ = ["ColumnRows", "column", "copy_line", "copy_text"]  # with the loaders below

BULK_MIN_ROWS = 50_000
MAINTENANCE_WORK_MEM = "256MB"


_BLOCK = 5000


def copy_rows(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY rows (sequences in ``columns`` order) into ``table`` through a raw psycopg 3 cursor.

    Rows are formatted here in COPY's text format and sent in blocks, which is about twice as fast as
    psycopg's per-row ``write_row`` for the plain strings, numbers and dates of a registry import.
    """
    count, width, block = 0, len(columns), []
    with cursor.copy(_statement(table, columns)) as copy:
        for row in rows:
            block.append(copy_line(row, width))
            if len(block) >= _BLOCK:
                copy.write("\n".join(block) + "\n")
                count += len(block)
                block.clear()
        if block:
            copy.write("\n".join(block) + "\n")
            count += len(block)
    return count


def copy_blocks(cursor: Any, table: str, columns: Sequence[str], blocks: Iterable[bytes]) -> int:
    """COPY blocks of already formatted text (``copy_text``, UTF-8 encoded) into ``table``; return the row count."""
    count = 0
    with cursor.copy(_statement(table, columns)) as copy:
        for block in blocks:
            copy.write(block)
            count += block.count(b"\n")
    return count


def _statement(table: str, columns: Sequence[str]) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )


def worth_deferring(cursor: Any, table: str, expected: int) -> bool:
    """Rebuilding indexes pays off when the load is big and at least half the size of the table."""
    if expected < BULK_MIN_ROWS:
        return False
    query = sql.SQL("SELECT count(*) FROM (SELECT 1 FROM {} LIMIT %s) AS existing").format(sql.Identifier(table))
    cursor.execute(query, [2 * expected + 1])
    return int(cursor.fetchone()[0]) <= 2 * expected


def _secondary_constraints(cursor: Any, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname",
        [table],
    )
    return [(name, ddl) for name, ddl in cursor.fetchall()]


def _secondary_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid) "
        "ORDER BY c.relname",
        [table],
    )
    return [(name, ddl) for name, ddl in cursor.fetchall()]


@contextmanager
def secondary_indexes_deferred(cursor: Any, table: str) -> Iterator[None]:
    """Drop the table's unique and foreign-key constraints and its non-primary indexes; recreate them after."""
    constraints, indexes = _secondary_constraints(cursor, table), _secondary_indexes(cursor, table)
    name = sql.Identifier(table)
    # Deferred foreign-key checks already queued in this transaction must run before the table is altered.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for con, _ in constraints:
        cursor.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(name, sql.Identifier(con)))
    for index, _ in indexes:
        cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(index)))
    yield
    cursor.execute(sql.SQL("SET LOCAL maintenance_work_mem = {}").format(sql.Literal(MAINTENANCE_WORK_MEM)))
    for _, ddl in indexes:
        cursor.execute(ddl)
    for con, ddl in reversed(constraints):
        cursor.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(name, sql.Identifier(con)) + sql.SQL(ddl))
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's INITIALLY DEFERRED behaviour
