"""A trigram GIN index on the enterprise name, so a substring search stays fast at a million rows.

PostgreSQL only (pg_trgm ships with PostgreSQL's contrib; the extension is trusted, so the database
owner may create it). On SQLite this migration does nothing: the demo's few thousand rows need no index.
"""

from django.db import migrations

INDEX = "enterprises_enterprise_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON enterprises_enterprise USING gin (name gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
