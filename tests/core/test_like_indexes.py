"""qijian/core/like_indexes.py: the busiest tables keep only the indexes their reads use."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _indexes(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pattern-ops indexes are PostgreSQL's")
def test_keys_and_hashes_have_no_pattern_index_and_searched_text_keeps_its_own() -> None:
    events, checkins = _indexes("audit_auditevent"), _indexes("checkins_checkin")
    patterns = [d for d in [*events.values(), *checkins.values()] if "varchar_pattern_ops" in d]
    assert patterns == [next(d for d in events.values() if "(action varchar_pattern_ops)" in d)]  # audit search
    assert sum("UNIQUE" in d and "(hash)" in d for d in events.values()) == 1
    assert sum("UNIQUE" in d and "(prev_hash)" in d for d in events.values()) == 1
    assert sum("UNIQUE" in d and "(idempotency_key)" in d for d in checkins.values()) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index definitions read from pg_indexes")
def test_a_check_ins_foreign_keys_are_served_by_the_time_ordered_indexes() -> None:
    definitions = list(_indexes("checkins_checkin").values())
    for column in ("enterprise_id", "filing_id", "inspector_id"):
        assert not any(d.endswith(f"({column})") for d in definitions)
        assert any(f"({column}, scanned_at DESC)" in d for d in definitions)
