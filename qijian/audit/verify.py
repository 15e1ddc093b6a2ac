"""Verifying the audit chain: pure logic over plain dicts (no Django), streaming in constant memory.

Rows come in storage order (the order they were appended); checkpoints are the signed
``(up_to_seq, head_hash, ...)`` records. The walk stops at the FIRST broken link and names it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from qijian.audit.chain import GENESIS, row_hash, signature_valid

ALTERED = "altered"
MISSING = "missing"
REORDERED = "reordered"
FORGED = "forged"
BAD_CHECKPOINT = "bad_checkpoint"
PURGE = "purge"

KIND_LABELS = {
    ALTERED: "内容被篡改",
    MISSING: "事件缺失",
    REORDERED: "顺序被调换",
    FORGED: "伪造或改写的事件",
    BAD_CHECKPOINT: "检查点签名无效",
}


@dataclass(frozen=True)
class Break:
    seq: int
    kind: str
    detail: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Report:
    rows: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    checkpoints: int = 0
    attested_to: int = 0
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None

    @property
    def unattested(self) -> int:
        return max(0, (self.last_seq or 0) - self.attested_to)


def _lookahead(rows: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    iterator = iter(rows)
    current = next(iterator, None)
    while current is not None:
        following = next(iterator, None)
        yield current, following
        current = following


def checkpoint_break(checkpoint: dict[str, Any], keys: Mapping[str, bytes]) -> Break | None:
    """A checkpoint's own problem: unknown key, bad signature, or a count that does not match."""
    seq = int(checkpoint["up_to_seq"])
    key = keys.get(str(checkpoint["key_id"]))
    if key is None:
        return Break(seq, BAD_CHECKPOINT, f"检查点(至序号 {seq})的密钥编号 {checkpoint['key_id']} 未配置,无法验证签名")
    if not signature_valid(key, checkpoint):
        return Break(seq, BAD_CHECKPOINT, f"检查点(至序号 {seq})的 HMAC-SM3 签名不符: 检查点被篡改或伪造")
    if checkpoint["event_count"] != seq:
        return Break(seq, BAD_CHECKPOINT, f"检查点(至序号 {seq})的事件数 {checkpoint['event_count']} 与序号不符")
    return None


class _Walk:
    def __init__(
        self, checkpoints: Iterable[dict[str, Any]], keys: Mapping[str, bytes], start: tuple[int, str] | None
    ) -> None:
        ordered = sorted(checkpoints, key=lambda c: int(c["up_to_seq"]))
        anchors = [c for c in ordered if c.get("kind") == PURGE]
        anchor = anchors[-1] if anchors else None
        if start is None and anchor is not None:
            start = (int(anchor["up_to_seq"]), str(anchor["head_hash"]))
        self.keys = keys
        self.pending = deque(ordered)
        self.report = Report()
        self.expected_seq = start[0] + 1 if start else 1
        self.expected_prev = start[1] if start else GENESIS
        self.previous_attested = self.expected_seq - 1

    def purged_region(self) -> Break | None:
        """Checkpoints below the start of the remaining rows: only their signatures can be checked."""
        while self.pending and int(self.pending[0]["up_to_seq"]) < self.expected_seq:
            broken = checkpoint_break(self.pending.popleft(), self.keys)
            if broken:
                return broken
            self.report.checkpoints += 1
        return None

    def row(self, row: dict[str, Any], following: dict[str, Any] | None) -> Break | None:
        seq, expected = int(row["seq"]), self.expected_seq
        if seq > expected:
            if following is not None and int(following["seq"]) < seq:
                return Break(expected, REORDERED, f"序号 {expected} 的位置上是序号 {seq} 的事件: 事件顺序被调换")
            return Break(expected, MISSING, f"缺少序号 {expected} 至 {seq - 1} 的事件: 事件被删除")
        if seq < expected:
            return Break(seq, FORGED, f"序号 {seq} 出现了两次: 链被分叉或插入了伪造事件")
        if row_hash(row) != row["hash"]:
            return Break(seq, ALTERED, f"序号 {seq} 的内容与其 SM3 哈希不符: 事件被修改")
        if row["prev_hash"] != self.expected_prev:
            return Break(seq, FORGED, f"序号 {seq} 的前一哈希与序号 {seq - 1} 不衔接: 伪造或替换的事件")
        return self.checkpoints_at(row)

    def checkpoints_at(self, row: dict[str, Any]) -> Break | None:
        seq = int(row["seq"])
        while self.pending and int(self.pending[0]["up_to_seq"]) == seq:
            checkpoint = self.pending.popleft()
            broken = checkpoint_break(checkpoint, self.keys)
            if broken:
                return broken
            if checkpoint["head_hash"] != row["hash"]:
                since = self.previous_attested + 1
                detail = f"序号 {seq} 的哈希与已签名的检查点不符: 序号 {since} 至 {seq} 间的事件被改写"
                return Break(seq, FORGED, detail)
            self.report.checkpoints += 1
            self.report.attested_to = self.previous_attested = seq
        return None

    def advance(self, row: dict[str, Any]) -> None:
        report = self.report
        report.rows += 1
        report.first_seq = report.first_seq or int(row["seq"])
        report.last_seq = int(row["seq"])
        self.expected_seq += 1
        self.expected_prev = str(row["hash"])

    def tail(self) -> Break | None:
        """Checkpoints beyond the last row: the newest events were removed."""
        if not self.pending:
            return None
        broken = checkpoint_break(self.pending[0], self.keys)
        if broken:
            return broken
        claimed = int(self.pending[0]["up_to_seq"])
        detail = f"检查点记录链已到序号 {claimed},但链只到序号 {self.expected_seq - 1}: 末尾的事件被删除"
        return Break(self.expected_seq, MISSING, detail)


def verify_chain(
    rows: Iterable[dict[str, Any]],
    checkpoints: Iterable[dict[str, Any]],
    keys: Mapping[str, bytes],
    *,
    start: tuple[int, str] | None = None,
) -> Report:
    """Walk the chain once; stop at the first broken link. ``rows`` may be a lazy iterator of millions.

    ``start``: (seq, hash) of the link just before ``rows`` when checking a slice of the chain (the trace
    of one inspection); by default the walk starts at the genesis or at the newest purge anchor."""
    walk = _Walk(checkpoints, keys, start)
    broken = walk.purged_region()
    for row, following in _lookahead(rows):
        if broken:
            break
        broken = walk.row(row, following)
        if not broken:
            walk.advance(row)
    walk.report.broken = broken or walk.tail()
    return walk.report
