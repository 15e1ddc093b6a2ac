"""Migrations: drop the ``varchar_pattern_ops`` ("_like") indexes Django adds on PostgreSQL to every
indexed or unique text column.

They serve only ``LIKE 'x%'`` searches. On columns looked up by equality alone — keys and hashes — they
are one more index to update on every insert of the busiest tables (docs/benchmarks.md, "Check-ins
under load"). The unique index itself stays. SQLite never has them; there nothing is done. Django drops
these indexes with ``IF EXISTS`` whenever it alters such a column, so later migrations are unaffected.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def drop_like_indexes(app_label: str, model_name: str, columns: tuple[str, ...]) -> migrations.RunPython:
    """An operation that drops the "_like" index of each column of ``app_label.model_name`` (and puts it back)."""

    def statements(apps: Any, schema_editor: Any, template: str) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model(app_label, model_name)._meta.db_table
        for column in columns:
            name = schema_editor._create_index_name(table, [column], suffix="_like")
            schema_editor.execute(template.format(name=schema_editor.quote_name(name), table=table, column=column))

    def forward(apps: Any, schema_editor: Any) -> None:
        statements(apps, schema_editor, "DROP INDEX IF EXISTS {name}")

    def backward(apps: Any, schema_editor: Any) -> None:
        statements(
            apps, schema_editor, 'CREATE INDEX IF NOT EXISTS {name} ON "{table}" ("{column}" varchar_pattern_ops)'
        )

    return migrations.RunPython(forward, backward, elidable=False)
