"""Person identity for the three separated admin duties (三员分立).

An account stores only a keyed hash (HMAC-SM3) of the person's 身份证号 or employee number, never
the number itself: a plain hash of an 18-digit ID number could be reversed by trying every birth
date and sequence number, a keyed one cannot without the key.
"""

from __future__ import annotations

import re

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings

_ALLOWED = re.compile(r"^[0-9A-Za-z-]{4,32}$")


class PersonNumberError(ValueError):
    """The number given for a person is not usable; the message is shown to users."""


def normalise_person_number(raw: str) -> str:
    value = raw.strip().upper()
    if not _ALLOWED.match(value):
        raise PersonNumberError("身份证号或工号格式不正确(4~32 位字母、数字或连字符)")
    return value


def _key() -> bytes:
    configured: str = getattr(settings, "QJ_PERSON_ID_KEY", "")
    if configured:
        return bytes.fromhex(configured)
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"qijian-person-id\n" + settings.SECRET_KEY.encode())
    return digest.finalize()


def person_id_for(raw: str) -> str:
    """The stored identity of the person with this 身份证号 / employee number (64 hex characters)."""
    mac = hmac.HMAC(_key(), hashes.SM3())
    mac.update(normalise_person_number(raw).encode())
    return mac.finalize().hex()
