"""``verify_audit`` on the real table: an attacker with database access is found at the first broken link."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from qijian.audit.models import AuditEvent
from qijian.audit.services import record_event, write_checkpoint
from tests.audit.conftest import guard_lifted

pytestmark = pytest.mark.django_db


def _chain(length: int) -> list[AuditEvent]:
    events = [record_event(actor=None, action="test.event", after={"n": n}) for n in range(length)]
    write_checkpoint(actor=None)
    return events


def _verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", "--batch", "3", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(str(exc.code)), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _sql(statement: str, params: list[int | str]) -> None:
    with guard_lifted(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_intact_chain_prints_complete_with_counts() -> None:
    events = _chain(7)
    code, out, _ = _verify()
    assert code == 0
    assert "审计链完整" in out and f"共 {len(events) + 1} 条事件" in out


def test_altered_row_is_named_by_verify_audit() -> None:
    events = _chain(7)
    _sql("UPDATE audit_auditevent SET after = %s WHERE seq = %s", ['{"n": 99}', events[4].seq])
    code, _, err = _verify()
    assert code == 1 and f"序号 {events[4].seq}(内容被篡改)" in err


def test_deleted_row_is_named_by_verify_audit() -> None:
    events = _chain(7)
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [events[2].seq])
    code, _, err = _verify()
    assert code == 1 and f"序号 {events[2].seq}(事件缺失)" in err


def test_reordered_rows_are_named_by_verify_audit() -> None:
    events = _chain(7)
    first, second = events[1].seq, events[5].seq
    parked = 10**9
    _sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [parked, first])
    _sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [first, second])
    _sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [second, parked])
    code, _, err = _verify()
    assert code == 1 and f"序号 {first}(顺序被调换)" in err


def test_deleted_newest_rows_are_caught_by_the_checkpoint() -> None:
    _chain(5)
    head = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [head])
    code, _, err = _verify()
    assert code == 1 and f"序号 {head}(事件缺失)" in err


def test_forged_checkpoint_is_named_by_verify_audit() -> None:
    _chain(3)
    _sql("UPDATE audit_auditcheckpoint SET head_hash = %s WHERE id > %s", ["0" * 64, 0])
    code, _, err = _verify()
    assert code == 1 and "检查点签名无效" in err
