"""The audit chain's pure part: canonical form of an event and its SM3 link hash.

No Django import: the verifier and the property tests use it on plain dicts.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives import hashes

GENESIS = "0" * 64


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def canonical(fields: dict[str, Any]) -> bytes:
    """A byte form that is the same for the same content on every database and machine."""
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def link_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return sm3_hex(prev_hash.encode() + b"\n" + canonical(fields))
