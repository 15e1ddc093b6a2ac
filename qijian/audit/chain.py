"""The audit chain's pure part: canonical form of an event, its SM3 link hash, HMAC-SM3 signatures.

No Django import: the verifier, the property tests and an outside checker use it on plain dicts.
"""

from __future__ import annotations

import datetime as dt
import hmac as std_hmac
import json
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

GENESIS = "0" * 64

# The fields one link hash covers, besides the predecessor's hash (everything but the hashes themselves).
CHAINED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_repr",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "before",
    "after",
    "request_id",
)

# The fields a checkpoint signature covers.
CHECKPOINT_FIELDS = ("up_to_seq", "head_hash", "event_count", "created_at", "key_id", "kind")


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def canonical(fields: dict[str, Any]) -> bytes:
    """A byte form that is the same for the same content on every database and machine."""
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def link_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return sm3_hex(prev_hash.encode() + b"\n" + canonical(fields))


def row_hash(row: dict[str, Any]) -> str:
    """The link hash a stored row should carry, recomputed from its own content."""
    return link_hash(row["prev_hash"], {name: row[name] for name in CHAINED_FIELDS})


def utc_text(moment: dt.datetime) -> str:
    """A timestamp's one canonical spelling: UTC, microseconds always present, ``Z`` suffix."""
    if moment.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def hmac_sm3(key: bytes, message: bytes) -> str:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(message)
    return mac.finalize().hex()


def checkpoint_message(checkpoint: dict[str, Any]) -> bytes:
    return b"qijian-audit-checkpoint-v1\n" + canonical({name: checkpoint[name] for name in CHECKPOINT_FIELDS})


def sign_checkpoint(key: bytes, checkpoint: dict[str, Any]) -> str:
    return hmac_sm3(key, checkpoint_message(checkpoint))


def signature_valid(key: bytes, checkpoint: dict[str, Any]) -> bool:
    return std_hmac.compare_digest(sign_checkpoint(key, checkpoint), str(checkpoint.get("signature", "")))


def derive_key(secret: bytes, key_id: str) -> bytes:
    """HKDF-SM3 of a secret into a 32-byte checkpoint key for one key id (the fallback without real keys)."""
    hkdf = HKDF(algorithm=hashes.SM3(), length=32, salt=b"qijian-audit", info=f"checkpoint-key:{key_id}".encode())
    return hkdf.derive(secret)
