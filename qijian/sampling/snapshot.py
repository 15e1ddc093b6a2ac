"""The draw's stored inputs (pure): a canonical byte form, its SM3 hash, and a compressed blob.

Canonical bytes (what ``pool_hash`` covers)::

    header JSON (sorted keys, no spaces) + b"\\n" + pool ids as little-endian int64 + grades as uint8

The header holds the snapshot format, the algorithm version, departments, inspectors (id, department)
in the order the draw uses them, grade weights, count or base ratio, days (proleptic ordinals),
team size, conflicts (inspector, enterprise) and busy slots (inspector, day), sorted. The stored blob
is zlib over the header and the DELTAS of the ids (uint32 when they fit), so a million ids take a few
hundred kilobytes; ``decode`` rebuilds the canonical bytes and checks nothing else is needed.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

import numpy as np

from qijian.sampling.draw import ALGORITHM_VERSION, DrawError, DrawInput, InspectorIn, Pool, sm3

FORMAT = "qijian-snapshot/1"
_MAGIC = b"QJS1"


def header(data: DrawInput) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "algorithm": ALGORITHM_VERSION,
        "departments": list(data.departments),
        "inspectors": [[p.id, p.department_id] for p in data.inspectors],
        "weights": {g: str(w) for g, w in sorted(data.weights.items())},
        "count": data.count,
        "base_ratio": None if data.base_ratio is None else str(data.base_ratio),
        "days": list(data.days),
        "min_team": data.min_team,
        "conflicts": sorted([list(pair) for pair in data.conflicts]),
        "busy": sorted([list(pair) for pair in data.busy]),
        "pool_size": data.pool.size,
    }


def _header_bytes(data: DrawInput) -> bytes:
    return json.dumps(header(data), sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def canonical(data: DrawInput) -> bytes:
    ids = data.pool.ids.astype("<i8", copy=False).tobytes()
    return _header_bytes(data) + b"\n" + ids + data.pool.grades.astype(np.uint8, copy=False).tobytes()


def digest(data: DrawInput) -> str:
    return sm3(canonical(data))


def encode(data: DrawInput) -> bytes:
    ids = data.pool.ids.astype(np.int64, copy=False)
    deltas = np.diff(ids, prepend=np.int64(0))
    narrow = bool(deltas.size == 0 or (deltas.min() >= 0 and deltas.max() < 2**32))
    packed = deltas.astype("<u4" if narrow else "<i8").tobytes()
    body = b"".join([_header_bytes(data), b"\n", b"4" if narrow else b"8", packed, data.pool.grades.tobytes()])
    return _MAGIC + zlib.compress(body, 1)


def decode(blob: bytes) -> DrawInput:
    if not blob.startswith(_MAGIC):
        raise DrawError("抽取池快照格式无法识别。")
    body = zlib.decompress(blob[len(_MAGIC) :])
    head_end = body.index(b"\n")
    head = json.loads(body[:head_end])
    if head.get("format") != FORMAT:
        raise DrawError(f"抽取池快照格式 {head.get('format')} 不受支持。")
    n, width = head["pool_size"], 4 if body[head_end + 1 : head_end + 2] == b"4" else 8
    start = head_end + 2
    deltas = np.frombuffer(body[start : start + n * width], dtype="<u4" if width == 4 else "<i8")
    ids = np.cumsum(deltas.astype(np.int64), dtype=np.int64)
    grades = np.frombuffer(body[start + n * width :], dtype=np.uint8).copy()
    return _input(head, Pool(ids, grades))


def _input(head: dict[str, Any], pool: Pool) -> DrawInput:
    return DrawInput(
        pool=pool,
        inspectors=tuple(InspectorIn(int(i), int(d)) for i, d in head["inspectors"]),
        departments=tuple(head["departments"]),
        weights=head["weights"],
        days=tuple(head["days"]),
        count=head["count"],
        base_ratio=head["base_ratio"],
        min_team=head["min_team"],
        conflicts=frozenset((int(a), int(b)) for a, b in head["conflicts"]),
        busy=frozenset((int(a), int(b)) for a, b in head["busy"]),
    )


def algorithm_of(blob: bytes) -> str:
    body = zlib.decompress(blob[len(_MAGIC) :])
    return str(json.loads(body[: body.index(b"\n")])["algorithm"])
