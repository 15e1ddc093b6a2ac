"""qijian/core/rawsql.py: hand-written statements give the same rows and instances as the ORM."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

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
    row, _ = rawsql.insert_linked(_checkin(county, "raw-linked"), through, ("checkin", "inspector"), [other.pk])
    alone, _ = rawsql.insert_linked(_checkin(county, "raw-alone"), through, ("checkin", "inspector"), [])
    assert list(CheckIn.objects.get(pk=row.pk).companions.values_list("pk", flat=True)) == [other.pk]
    assert row._state.adding is False and alone.pk is not None and not alone.companions.exists()


@pytest.mark.parametrize("companions", [0, 1])
def test_insert_linked_also_runs_a_query_after_the_inserts(county: County, companions: int) -> None:
    through, ids = CheckIn.companions.through, [county.inspector.pk][:companions]
    also = (f"SELECT count(*), %s FROM {rawsql.table(Enterprise)}", ["also"])  # noqa: S608
    row, extra = rawsql.insert_linked(_checkin(county, "raw-also"), through, ("checkin", "inspector"), ids, also)
    assert extra == (Enterprise.objects.count(), "also") and CheckIn.objects.filter(pk=row.pk).exists()
    assert through.objects.filter(checkin=row).count() == companions
    none: tuple[str, list[Any]] = (f"SELECT id FROM {rawsql.table(Enterprise)} WHERE id < 0", [])  # noqa: S608
    _, empty = rawsql.insert_linked(_checkin(county, "raw-also-2"), through, ("checkin", "inspector"), ids, none)
    assert empty in (None, (None,))  # no row: None, or PostgreSQL's LEFT JOIN's row of NULLs


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


def test_one_cursor_runs_every_statement_inside_on_one_cursor_and_nests(county: County) -> None:
    seen: list[object] = []  # the cursors themselves: an id() may be reused once a cursor is gone

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen.append(context["cursor"])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        rawsql.load(Enterprise, _enterprises_sql(), [county.enterprise.pk])
        rawsql.load(Enterprise, _enterprises_sql(), [county.enterprise.pk])
        assert seen[0] is not seen[1]  # outside: a cursor per statement
        seen.clear()
        with rawsql.one_cursor():
            rawsql.load(Enterprise, _enterprises_sql(), [county.enterprise.pk])
            with rawsql.one_cursor():
                rawsql.load_rows(Inspector, f"SELECT {rawsql.columns(Inspector)} FROM {rawsql.table(Inspector)}", [])  # noqa: S608
            rawsql.insert(_checkin(county, "one-cursor"))
    assert len(seen) == 3 and seen[0] is seen[1] is seen[2]
    assert CheckIn.objects.filter(idempotency_key="one-cursor").exists()


def test_one_cursor_survives_a_failed_statement_in_a_transaction(county: County) -> None:
    rawsql.insert(_checkin(county, "one-cursor-dup"))
    with rawsql.one_cursor():
        with pytest.raises(IntegrityError), transaction.atomic():
            rawsql.insert(_checkin(county, "one-cursor-dup"))
        (found,) = rawsql.load(Enterprise, _enterprises_sql(), [county.enterprise.pk])
    assert found.pk == county.enterprise.pk


def test_make_converts_and_builds_what_from_db_builds(county: County) -> None:
    sql = f"SELECT {rawsql.columns(Inspector)} FROM {rawsql.table(Inspector)} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [county.inspector.pk])
        row = cursor.fetchone()
    made = rawsql.make(Inspector, row)
    expected = Inspector.objects.get(pk=county.inspector.pk)
    fields = [f.attname for f in Inspector._meta.concrete_fields]
    assert {f: getattr(made, f) for f in fields} == {f: getattr(expected, f) for f in fields}
    assert made == expected and made._state.adding is False and made._state.db == "default"
    assert made.department == county.inspector.department  # the relation loads as on an ORM row
    made.name = "改名"
    made.save(update_fields=["name"])  # an ordinary instance: saves as an update
    assert Inspector.objects.get(pk=county.inspector.pk).name == "改名"


def test_load_goes_through_from_db_when_a_post_init_receiver_listens(county: County) -> None:
    seen: list[Enterprise] = []

    def receiver(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(instance)

    signals.post_init.connect(receiver, sender=Enterprise)
    try:
        (found,) = rawsql.load(Enterprise, _enterprises_sql(), [county.enterprise.pk])
    finally:
        signals.post_init.disconnect(receiver, sender=Enterprise)
    assert seen == [found]


def test_a_model_with_its_own_field_descriptor_is_built_by_from_db() -> None:
    from qijian.checkins.models import Attachment

    assert rawsql._plain_model(Enterprise) and rawsql._plain_model(CheckIn)
    assert not rawsql._plain_model(Attachment)  # its FileField's descriptor wraps the stored name
