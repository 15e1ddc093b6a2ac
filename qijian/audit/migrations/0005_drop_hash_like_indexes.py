# The hashes are looked up by equality only: no "_like" index to update on every audited write.

from django.db import migrations

from qijian.core.like_indexes import drop_like_indexes


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_locked_head_function"),
    ]

    operations = [
        drop_like_indexes("audit", "AuditEvent", ("hash", "prev_hash")),
    ]
