"""Checkpoint signing keys: ``QJ_AUDIT_KEYS`` ("id:hexkey,...") and the current ``QJ_AUDIT_KEY_ID``.

With no keys configured, a key per key id is derived from SECRET_KEY with HKDF-SM3: fine for the
demo, not for production (rotating SECRET_KEY would orphan every checkpoint; see docs/audit.md).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from qijian.audit.chain import derive_key

_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
MIN_KEY_BYTES = 16


def parse_keys(
    pairs: list[str], *, setting: str = "QJ_AUDIT_KEYS", key_id_re: re.Pattern[str] = _KEY_ID
) -> dict[str, bytes]:
    """ "id:hexkey" pairs of a key-ring setting (the audit's, or the inspection codes' QJ_CODE_KEYS)."""
    keys: dict[str, bytes] = {}
    for pair in pairs:
        key_id, sep, hex_key = pair.partition(":")
        if not sep or not key_id_re.fullmatch(key_id):
            raise ImproperlyConfigured(f"{setting} 的条目 {key_id!r} 格式应为 编号:十六进制密钥")
        try:
            key = bytes.fromhex(hex_key)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{setting} 中密钥 {key_id} 不是十六进制") from exc
        if len(key) < MIN_KEY_BYTES:
            raise ImproperlyConfigured(f"{setting} 中密钥 {key_id} 太短(至少 {MIN_KEY_BYTES} 字节)")
        keys[key_id] = key
    return keys


def keys_derived() -> bool:
    return not settings.QJ_AUDIT_KEYS


def current_key_id() -> str:
    key_id = str(settings.QJ_AUDIT_KEY_ID)
    if not _KEY_ID.match(key_id):
        raise ImproperlyConfigured(f"QJ_AUDIT_KEY_ID={key_id!r} 不是有效的密钥编号")
    return key_id


def key_ring(extra_ids: set[str] | frozenset[str] = frozenset()) -> dict[str, bytes]:
    """Every key that may verify a checkpoint; derived keys cover the current id and ``extra_ids``."""
    if not keys_derived():
        keys = parse_keys(list(settings.QJ_AUDIT_KEYS))
        if current_key_id() not in keys:
            raise ImproperlyConfigured(f"QJ_AUDIT_KEY_ID={current_key_id()} 不在 QJ_AUDIT_KEYS 中")
        return keys
    secret = settings.SECRET_KEY.encode()
    return {key_id: derive_key(secret, key_id) for key_id in {current_key_id(), *extra_ids}}


def signing_key() -> tuple[str, bytes]:
    key_id = current_key_id()
    return key_id, key_ring()[key_id]
