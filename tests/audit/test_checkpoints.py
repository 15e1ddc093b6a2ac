"""Signed checkpoints: idempotent writing, key rotation, and an export an outsider checks with the key alone."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from qijian.audit.keys import key_ring
from qijian.audit.models import AuditCheckpoint, AuditEvent
from qijian.audit.queries import verify_stored_chain
from qijian.audit.services import record_event, write_checkpoint
from qijian.audit.verify import BAD_CHECKPOINT

pytestmark = pytest.mark.django_db

K1, K2 = "11" * 32, "22" * 32
DOCS = Path(django_settings.BASE_DIR) / "docs" / "audit.md"


def test_checkpoint_signs_the_head_including_its_own_event() -> None:
    record_event(actor=None, action="test.one")
    checkpoint = write_checkpoint(actor=None)
    assert checkpoint is not None
    head = AuditEvent.objects.order_by("-seq").first()
    assert head is not None and head.action == "audit.checkpoint"
    assert (checkpoint.up_to_seq, checkpoint.head_hash, checkpoint.event_count) == (head.seq, head.hash, head.seq)


def test_second_checkpoint_without_new_events_writes_nothing() -> None:
    record_event(actor=None, action="test.one")
    assert write_checkpoint(actor=None) is not None
    events = AuditEvent.objects.count()
    assert write_checkpoint(actor=None) is None
    assert (AuditCheckpoint.objects.count(), AuditEvent.objects.count()) == (1, events)
    record_event(actor=None, action="test.two")
    assert write_checkpoint(actor=None) is not None


def test_empty_chain_gets_no_checkpoint() -> None:
    assert write_checkpoint(actor=None) is None
    assert not AuditCheckpoint.objects.exists()


def test_old_checkpoints_verify_with_their_key_after_rotation() -> None:
    with override_settings(QJ_AUDIT_KEYS=[f"k1:{K1}"], QJ_AUDIT_KEY_ID="k1"):
        record_event(actor=None, action="test.one")
        first = write_checkpoint(actor=None)
    with override_settings(QJ_AUDIT_KEYS=[f"k1:{K1}", f"k2:{K2}"], QJ_AUDIT_KEY_ID="k2"):
        record_event(actor=None, action="test.two")
        second = write_checkpoint(actor=None)
        report = verify_stored_chain()
    assert first is not None and second is not None and (first.key_id, second.key_id) == ("k1", "k2")
    assert report.ok and report.checkpoints == 2


def test_checkpoint_whose_key_was_dropped_is_reported() -> None:
    with override_settings(QJ_AUDIT_KEYS=[f"k1:{K1}"], QJ_AUDIT_KEY_ID="k1"):
        record_event(actor=None, action="test.one")
        first = write_checkpoint(actor=None)
    with override_settings(QJ_AUDIT_KEYS=[f"k2:{K2}"], QJ_AUDIT_KEY_ID="k2"):
        report = verify_stored_chain()
    assert first is not None and report.broken is not None
    assert (report.broken.seq, report.broken.kind) == (first.up_to_seq, BAD_CHECKPOINT)


def test_derived_keys_stop_verifying_when_the_secret_key_changes() -> None:
    record_event(actor=None, action="test.one")
    write_checkpoint(actor=None)
    assert verify_stored_chain().ok
    with override_settings(SECRET_KEY="another-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"):
        report = verify_stored_chain()
    assert report.broken is not None and report.broken.kind == BAD_CHECKPOINT


@pytest.mark.parametrize(
    ("pairs", "key_id", "message"),
    [
        (["k1:zz"], "k1", "不是十六进制"),
        (["k1:abcd"], "k1", "太短"),
        (["k1"], "k1", "格式"),
        ([f"k1:{K1}"], "k9", "不在 QJ_AUDIT_KEYS 中"),
    ],
)
def test_bad_key_settings_fail_with_a_chinese_error(pairs: list[str], key_id: str, message: str) -> None:
    with override_settings(QJ_AUDIT_KEYS=pairs, QJ_AUDIT_KEY_ID=key_id), pytest.raises(ImproperlyConfigured) as exc:
        key_ring()
    assert message in str(exc.value)


def _doc_snippet() -> dict[str, Any]:
    text = DOCS.read_text(encoding="utf-8")
    code = re.search(r"<!-- snippet:verify-checkpoints -->\n```python\n(.*?)```", text, re.S)
    assert code is not None
    namespace: dict[str, Any] = {"__name__": "snippet"}
    exec(compile(code.group(1), str(DOCS), "exec"), namespace)  # noqa: S102 (our own documentation)
    return namespace


def test_exported_checkpoints_pass_the_documented_outside_check(tmp_path: Path) -> None:
    with override_settings(QJ_AUDIT_KEYS=[f"k1:{K1}", f"k2:{K2}"], QJ_AUDIT_KEY_ID="k1"):
        record_event(actor=None, action="test.one")
        write_checkpoint(actor=None)
        with override_settings(QJ_AUDIT_KEY_ID="k2"):
            record_event(actor=None, action="test.two")
            write_checkpoint(actor=None)
        out = tmp_path / "cp.jsonl"
        call_command("export_audit_checkpoints", str(out), stdout=io.StringIO())
    check = _doc_snippet()["check"]
    keys = {"k1": bytes.fromhex(K1), "k2": bytes.fromhex(K2)}
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert check(str(out), keys) == []
    lines = out.read_text(encoding="utf-8").splitlines()
    forged = json.loads(lines[1])
    forged["head_hash"] = "0" * 64
    out.write_text(lines[0] + "\n" + json.dumps(forged) + "\n", encoding="utf-8")
    assert check(str(out), keys) == [f"line 2: bad signature (seq {forged['up_to_seq']})"]
