"""qijian/core/rawsql.py: hand-written statements give the same rows and instances as the ORM."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import signals

from qijian.audit.models import AuditEvent
from qijian.checkins.models import CheckIn
from qijian.core import rawsql
from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.org.models import Inspector

pytestmark = pytest.mark.django_db


def _enterprises_sql() -> str:
    return f"SELECT {rawsql.columns(Enterprise)} FROM {rawsql.table(Enterprise)} WHERE id = %s"  # noqa: S608


def test_load_gives_the_same_values_as_the_orm(county: County) -> None:
    expected = Enterprise.objects.get(pk=county.enterprise.pk)
    (found,) = rawsql.load(Enterprise, _enterprises_sql(), [county.enterprise.pk])
    fields = [f.attname for f in Enterprise._meta.concrete_fields]
    assert {f: getattr(found, f) for f in fields} == {f: getattr(expected, f) for f in fields}
    assert isinstance(found.created_at, dt.datetime) and found.created_at.tzinfo is not None
    assert found._state.adding is False and found._state.db == "default"


def test_load_of_no_row_is_empty(county: County) -> None:
    assert rawsql.load(Enterprise, _enterprises_sql(), [10**12]) == []


def test_extra_columns_come_after_the_model_and_convert_applies_the_field_converters(county: County) -> None:
    sql = f"SELECT {rawsql.columns(Inspector, 'i')}, i.created_at FROM {rawsql.table(Inspector)} i WHERE i.id = %s"  # noqa: S608
    ((inspector, (raw,)),) = rawsql.load_rows(Inspector, sql, [county.inspector.pk])
    assert inspector.pk == county.inspector.pk
    assert rawsql.convert(Inspector, "created_at", raw) == inspector.created_at


def _checkin(county: County, key: str) -> CheckIn:
    now = dt.datetime.now(dt.UTC)
    return CheckIn(
        idempotency_key=key,
        enterprise=county.enterprise,
        inspector=county.inspector,
        recorded_by=county.user("inspector"),
        scanned_at=now,
        client_time=now - dt.timedelta(minutes=3),
        latitude=Decimal("38.123456"),
        longitude=Decimal("-116.5"),
        accuracy_m=12,
    )


def test_insert_stores_what_save_would_store(county: County) -> None:
    row = rawsql.insert(_checkin(county, "raw-1"))
    assert row.pk is not None and row._state.adding is False
    stored = CheckIn.objects.get(pk=row.pk)
    for field in CheckIn._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(row, field.attname), field.name
    assert stored.longitude == Decimal("-116.500000") and stored.status == "checked_in"
    assert stored.created_at is not None and stored.updated_at is not None  # auto_now fields filled


def test_insert_of_a_duplicate_key_raises_integrity_error(county: County) -> None:
    rawsql.insert(_checkin(county, "raw-dup"))
    with pytest.raises(IntegrityError), transaction.atomic():
        rawsql.insert(_checkin(county, "raw-dup"))
    assert CheckIn.objects.filter(idempotency_key="raw-dup").count() == 1


def test_insert_pairs_writes_link_rows(county: County) -> None:
    row = rawsql.insert(_checkin(county, "raw-pairs"))
    other = Inspector.objects.exclude(pk=county.inspector.pk).first()
    assert other is not None
    through = CheckIn.companions.through
    rawsql.insert_pairs(through, ("checkin", "inspector"), [(row.pk, county.inspector.pk), (row.pk, other.pk)])
    rawsql.insert_pairs(through, ("checkin", "inspector"), [])
    assert sorted(row.companions.values_list("pk", flat=True)) == sorted([county.inspector.pk, other.pk])


def test_insert_refuses_a_model_with_save_receivers(county: County) -> None:
    def receiver(**kwargs: object) -> None:
        pass

    signals.post_save.connect(receiver, sender=AuditEvent, weak=False)
    try:
        with pytest.raises(RuntimeError, match="save signal receivers"):
            rawsql.insert(AuditEvent(seq=1, occurred_at=dt.datetime.now(dt.UTC), prev_hash="x", hash="y"))
    finally:
        signals.post_save.disconnect(receiver, sender=AuditEvent)
    assert not AuditEvent.objects.filter(hash="y").exists()


def test_insert_linked_stores_the_row_and_its_links(county: County) -> None:
    other = Inspector.objects.exclude(pk=county.inspector.pk).first()
    assert other is not None
    through = CheckIn.companions.through
    row = rawsql.insert_linked(_checkin(county, "raw-linked"), through, ("checkin", "inspector"), [other.pk])
    alone = rawsql.insert_linked(_checkin(county, "raw-alone"), through, ("checkin", "inspector"), [])
    assert list(CheckIn.objects.get(pk=row.pk).companions.values_list("pk", flat=True)) == [other.pk]
    assert row._state.adding is False and alone.pk is not None and not alone.companions.exists()


def test_insert_linked_of_a_duplicate_writes_no_link(county: County) -> None:
    through = CheckIn.companions.through
    rawsql.insert_linked(_checkin(county, "raw-twice"), through, ("checkin", "inspector"), [county.inspector.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        rawsql.insert_linked(_checkin(county, "raw-twice"), through, ("checkin", "inspector"), [county.inspector.pk])
    assert through.objects.filter(checkin__idempotency_key="raw-twice").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_hand_written_statements_are_prepared_and_the_orms_are_not(county: County) -> None:
    for _ in range(8):  # more than psycopg's default threshold: the ORM's must still not be prepared
        rawsql.load(Enterprise, _enterprises_sql(), [county.enterprise.pk])
        list(Enterprise.objects.filter(name__contains="沧县").order_by("-id")[:5])
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(_enterprises_sql().replace("%s", "$1") == statement for statement in prepared)
    assert not any("LIKE" in statement for statement in prepared)
