# Append-only triggers on the audit tables (PostgreSQL and SQLite); see qijian/audit/guard.py.

from django.db import migrations

from qijian.audit.guard import install_for_migration, remove_for_migration


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_checkpoints_runs"),
    ]

    operations = [
        migrations.RunPython(install_for_migration, remove_for_migration, elidable=False),
    ]
