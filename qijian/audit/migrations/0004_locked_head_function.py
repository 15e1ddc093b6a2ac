# The chain lock and head read as one PostgreSQL function; see qijian/audit/head.py.

from django.db import migrations

from qijian.audit.head import install_for_migration, remove_for_migration


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_append_only_triggers"),
    ]

    operations = [
        migrations.RunPython(install_for_migration, remove_for_migration, elidable=False),
    ]
