"""Building plain-dict audit chains for the pure verifier's tests (no Django)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qijian.audit.chain import GENESIS, link_hash, sign_checkpoint, utc_text

KEY_ID = "t1"
KEY = bytes(range(32))
KEYS = {KEY_ID: KEY}
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def make_row(seq: int, prev_hash: str, content: dict[str, Any]) -> dict[str, Any]:
    row = {
        "seq": seq,
        "occurred_at": utc_text(START + dt.timedelta(seconds=seq)),
        "actor_id": content.get("actor_id"),
        "actor_repr": content.get("actor_repr", "system"),
        "action": content.get("action", "test.event"),
        "target_type": content.get("target_type", ""),
        "target_id": content.get("target_id", ""),
        "target_repr": content.get("target_repr", ""),
        "before": content.get("before"),
        "after": content.get("after"),
        "request_id": content.get("request_id", ""),
        "prev_hash": prev_hash,
    }
    row["hash"] = link_hash(prev_hash, {k: v for k, v in row.items() if k != "prev_hash"})
    return row


def make_chain(contents: list[dict[str, Any]], *, first_seq: int = 1, prev_hash: str = GENESIS) -> list[dict[str, Any]]:
    rows = []
    for offset, content in enumerate(contents):
        row = make_row(first_seq + offset, prev_hash, content)
        rows.append(row)
        prev_hash = row["hash"]
    return rows


def make_checkpoint(row: dict[str, Any], *, kind: str = "periodic", key_id: str = KEY_ID) -> dict[str, Any]:
    checkpoint = {
        "up_to_seq": row["seq"],
        "head_hash": row["hash"],
        "event_count": row["seq"],
        "created_at": utc_text(START + dt.timedelta(days=1)),
        "key_id": key_id,
        "kind": kind,
    }
    checkpoint["signature"] = sign_checkpoint(KEYS.get(key_id, KEY), checkpoint)
    return checkpoint
