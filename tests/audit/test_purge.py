"""Purging: only events past the retention go, verification still passes, and the purge is itself audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from qijian.audit.choices import CheckpointKind
from qijian.audit.models import AuditCheckpoint, AuditEvent
from qijian.audit.purge import PurgeRefusedError, latest_purgeable_date, purge_events, retention_days
from qijian.audit.queries import verify_stored_chain
from qijian.audit.services import record_event, write_checkpoint

pytestmark = pytest.mark.django_db


def _events_aged(monkeypatch: pytest.MonkeyPatch, days: list[int]) -> list[AuditEvent]:
    events = []
    for age in days:
        moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=age)
        monkeypatch.setattr("qijian.audit.services._now", lambda moment=moment: moment)
        events.append(record_event(actor=None, action="test.aged", after={"age": age}))
    monkeypatch.undo()
    return events


def test_purge_removes_only_events_before_the_date_and_the_chain_still_verifies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events = _events_aged(monkeypatch, [400, 390, 380, 100, 10])
    write_checkpoint(actor=None)
    result = purge_events(actor=None, before=timezone.localdate() - dt.timedelta(days=385))
    assert result.deleted == 2 and result.anchor.up_to_seq == events[1].seq
    assert result.anchor.kind == CheckpointKind.PURGE
    assert AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first() == events[2].seq
    assert AuditEvent.objects.order_by("-seq").values_list("action", flat=True).first() == "audit.purge"
    report = verify_stored_chain()
    assert report.ok and report.first_seq == events[2].seq


def test_purge_of_everything_old_lets_the_chain_continue_from_the_anchor(monkeypatch: pytest.MonkeyPatch) -> None:
    events = _events_aged(monkeypatch, [500, 450])
    purge_events(actor=None, before=latest_purgeable_date())
    purge_event = AuditEvent.objects.get()
    assert (purge_event.seq, purge_event.action) == (events[-1].seq + 1, "audit.purge")
    assert verify_stored_chain().ok


def test_purge_closer_than_the_retention_is_refused_and_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    _events_aged(monkeypatch, [400, 100])
    too_recent = latest_purgeable_date() + dt.timedelta(days=1)
    with pytest.raises(PurgeRefusedError, match="至少保留 183 天"):
        purge_events(actor=None, before=too_recent)
    assert AuditEvent.objects.count() == 2 and not AuditCheckpoint.objects.exists()


def test_longer_retention_from_settings_is_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    _events_aged(monkeypatch, [400, 300])
    with override_settings(QJ_AUDIT_RETENTION_DAYS=365):
        assert retention_days() == 365
        with pytest.raises(PurgeRefusedError, match="至少保留 365 天"):
            purge_events(actor=None, before=timezone.localdate() - dt.timedelta(days=350))
    assert AuditEvent.objects.count() == 2


def test_purge_with_nothing_old_enough_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _events_aged(monkeypatch, [10])
    with pytest.raises(PurgeRefusedError, match="没有早于"):
        purge_events(actor=None, before=latest_purgeable_date())


def test_purge_command_reports_a_chinese_error_for_a_recent_date() -> None:
    with pytest.raises(CommandError, match="至少保留"):
        call_command("purge_audit", "--before", timezone.localdate().isoformat())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("purge_audit", "--before", "2025-13-40")


def test_purge_command_prints_what_it_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    _events_aged(monkeypatch, [400, 100])
    out = io.StringIO()
    call_command("purge_audit", "--before", latest_purgeable_date().isoformat(), stdout=out)
    assert "已清除 1 条审计事件" in out.getvalue()
