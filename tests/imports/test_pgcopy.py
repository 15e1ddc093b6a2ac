"""The PostgreSQL bulk path: COPY with the secondary indexes and foreign keys dropped and rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from qijian.core.imports import pgcopy
from qijian.core.testing import County
from qijian.enterprises.importing import import_enterprises
from qijian.enterprises.models import Enterprise
from tests.imports.files import ENTERPRISE_HEADERS, enterprise_row, write_csv

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and index rebuilds are PostgreSQL's"),
]


def schema() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'enterprises_enterprise' "
            "UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'enterprises_enterprise'::regclass ORDER BY 1, 2"
        )
        return list(cursor.fetchall())


@pytest.fixture
def bulk_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pgcopy, "BULK_MIN_ROWS", 1)


def run(path: Path) -> tuple[bool, int]:
    with path.open("rb") as fh:
        result, _ = import_enterprises(fh, filename=path.name, actor=None)
    return result.ok, result.created


def test_bulk_load_rebuilds_every_index_and_constraint(county: County, tmp_path: Path, bulk_always: None) -> None:
    before = schema()
    assert len(before) > 5
    ok, created = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, *[enterprise_row(i) for i in range(40)]]))
    assert ok and created == 40 and Enterprise.objects.count() == 42
    assert schema() == before


def test_failed_bulk_load_leaves_table_and_indexes_untouched(county: County, tmp_path: Path, bulk_always: None) -> None:
    before = schema()
    rows = [enterprise_row(i) for i in range(40)] + [enterprise_row(99, 所在乡镇="火星")]
    ok, _ = run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, *rows]))
    assert not ok and Enterprise.objects.count() == 2 and schema() == before


def test_unique_constraint_still_holds_after_a_bulk_load(county: County, tmp_path: Path, bulk_always: None) -> None:
    from django.db import IntegrityError, transaction

    run(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, *[enterprise_row(i) for i in range(3)]]))
    clone = Enterprise.objects.filter(uscc=enterprise_row(1)[0]).values()[0]
    clone.pop("id")
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(**clone)


def test_copy_line_escapes_special_characters_and_nulls() -> None:
    import datetime as dt

    assert pgcopy.copy_line(("a", None, 3, dt.date(2024, 1, 31)), 4) == "a\t\\N\t3\t2024-01-31"
    assert pgcopy.copy_line(("a\tb", "c\\d", "e\nf", None), 4) == "a\\tb\tc\\\\d\te\\nf\t\\N"
