"""The audit tables are append-only: at the model layer and, below it, by database triggers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from qijian.audit.models import AuditCheckpoint, AuditEvent, AuditImmutableError
from qijian.audit.services import record_event, write_checkpoint
from qijian.core.testing import County

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list[int] | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_saving_an_existing_event_is_refused(county: County) -> None:
    event = record_event(actor=county.user("sysadmin"), action="test.one")
    event.action = "test.changed"
    with pytest.raises(AuditImmutableError, match="只可追加"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.one"


def test_deleting_events_through_the_orm_is_refused(county: County) -> None:
    event = record_event(actor=county.user("sysadmin"), action="test.one")
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_update_of_an_event_is_refused_by_the_trigger(county: County) -> None:
    event = record_event(actor=county.user("sysadmin"), action="test.one")
    with pytest.raises(DatabaseError, match="只可追加"):
        _raw("UPDATE audit_auditevent SET action = 'forged' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.one"


def test_raw_sql_delete_of_an_event_is_refused_by_the_trigger(county: County) -> None:
    event = record_event(actor=county.user("sysadmin"), action="test.one")
    with pytest.raises(DatabaseError, match="只可追加"):
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_change_of_a_checkpoint_is_refused_by_the_trigger(county: County) -> None:
    record_event(actor=None, action="test.one")
    checkpoint = write_checkpoint(actor=None)
    assert checkpoint is not None
    with pytest.raises(DatabaseError, match="只可追加"):
        _raw("UPDATE audit_auditcheckpoint SET head_hash = 'x' WHERE id = %s", [checkpoint.pk])
    with pytest.raises(DatabaseError, match="只可追加"):
        _raw("DELETE FROM audit_auditcheckpoint WHERE id = %s", [checkpoint.pk])
    assert AuditCheckpoint.objects.get(pk=checkpoint.pk).head_hash == checkpoint.head_hash


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists only on PostgreSQL")
def test_truncate_of_the_audit_tables_is_refused_on_postgresql(county: County) -> None:
    record_event(actor=None, action="test.one")
    _raw("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks, so TRUNCATE reaches the trigger
    for table in ("audit_auditevent", "audit_auditcheckpoint"):
        with pytest.raises(DatabaseError, match="只可追加"):
            _raw(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the purge flag is a PostgreSQL setting")
def test_purge_flag_still_cannot_delete_young_events_on_postgresql(county: County) -> None:
    event = record_event(actor=None, action="test.one")
    with pytest.raises(DatabaseError, match="未满 183 天"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('qijian.audit_purge', 'on', true)")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the purge permit table is SQLite's door")
def test_purge_permit_still_cannot_delete_young_events_on_sqlite(county: County) -> None:
    event = record_event(actor=None, action="test.one")
    with pytest.raises(DatabaseError, match="只可追加"), transaction.atomic():
        _raw("INSERT INTO audit_auditpurgepermit (up_to_seq) VALUES (%s)", [event.seq])
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_old_event_can_be_deleted_only_through_the_purge_door(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    monkeypatch.setattr("qijian.audit.services._now", lambda: old)
    event = record_event(actor=None, action="test.old")
    with pytest.raises(DatabaseError, match="只可追加"):
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_flush_outside_the_test_runner_is_refused(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core import mail
    from django.core.management import CommandError, call_command

    record_event(actor=None, action="test.one")
    monkeypatch.delattr(mail, "outbox")
    with pytest.raises(CommandError, match="只可追加"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 1
