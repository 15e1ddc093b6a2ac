"""Inspection codes and enterprise codes (入企扫码): short signed tokens printed as QR codes.

A token reads ``QJ1.<kind>.<id>.<expiry>.<keyid>.<mac>``: kind ``F`` (a filing's inspection code) or
``E`` (an enterprise's gate code), the object's primary key, the expiry in Unix seconds, the key id
and a base64url HMAC-SM3 (truncated to 128 bits) over everything before it. Keys are configured like
the audit's (``QJ_CODE_KEYS`` = "id:hexkey" pairs, ``QJ_CODE_KEY_ID`` signs); without configured keys
one is derived per key id from SECRET_KEY with HKDF-SM3 under a salt and info of their own, so a code
key is never an audit key. Reading a token touches no database. See docs/codes.md.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac as std_hmac
import math
import re
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from qijian.audit.chain import hmac_sm3
from qijian.audit.keys import parse_keys
from qijian.core.calendar import end_of_day
from qijian.policy.loader import figure

VERSION = "QJ1"
FILING = "F"
ENTERPRISE = "E"
QUESTIONNAIRE = "Q"  # a follow-up's answer link (问卷码), see qijian/evaluations/queries/answers.py
KINDS = {FILING: "检查码", ENTERPRISE: "企业码", QUESTIONNAIRE: "问卷码"}
MAC_BYTES = 16
MAX_TOKEN_CHARS = 160

_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
_TOKEN = re.compile(
    r"^(?P<body>QJ1\.(?P<kind>[A-Z])\.(?P<id>[1-9][0-9]{0,17})\.(?P<exp>[1-9][0-9]{0,10})\.(?P<key>[A-Za-z0-9_-]{1,16}))"
    r"\.(?P<mac>[A-Za-z0-9_-]{22})$"
)
# A token inside the URL a QR code carries: ".../c/<token>" (with or without a trailing slash).
_IN_URL = re.compile(r"/c/(?P<token>[^/?#\s]+)/?(?:[?#].*)?$")


class CodeError(ValueError):
    """A token that must be refused; ``reason`` is one of REASONS, the message says why in Chinese."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


REASONS = ("malformed", "unknown_key", "bad_signature", "expired", "wrong_kind")


@dataclass(frozen=True)
class CodeClaims:
    kind: str
    object_id: int
    expires_at: dt.datetime
    key_id: str


# --- keys ------------------------------------------------------------------------------------------------


def derive_code_key(secret: bytes, key_id: str) -> bytes:
    """HKDF-SM3 of SECRET_KEY into one code key (salt and info distinct from the audit checkpoint keys)."""
    hkdf = HKDF(algorithm=hashes.SM3(), length=32, salt=b"qijian-codes", info=f"code-key:{key_id}".encode())
    return hkdf.derive(secret)


def parse_code_keys(pairs: list[str]) -> dict[str, bytes]:
    return parse_keys(pairs, setting="QJ_CODE_KEYS", key_id_re=_KEY_ID)  # no "." in an id: it separates a token


def current_key_id() -> str:
    key_id = str(settings.QJ_CODE_KEY_ID)
    if not _KEY_ID.fullmatch(key_id):
        raise ImproperlyConfigured(f"QJ_CODE_KEY_ID={key_id!r} 不是有效的密钥编号(字母、数字、_、-,至多16位)")
    return key_id


def keys_derived() -> bool:
    return not settings.QJ_CODE_KEYS


def key_for(key_id: str) -> bytes | None:
    """The key of ``key_id``; None when configured keys do not include it. Derived keys exist for any id."""
    if keys_derived():
        return derive_code_key(settings.SECRET_KEY.encode(), key_id)
    return parse_code_keys(list(settings.QJ_CODE_KEYS)).get(key_id)


def signing_key() -> tuple[str, bytes]:
    key_id = current_key_id()
    key = key_for(key_id)
    if key is None:
        raise ImproperlyConfigured(f"QJ_CODE_KEY_ID={key_id} 不在 QJ_CODE_KEYS 中")
    return key_id, key


# --- tokens ---------------------------------------------------------------------------------------------


def _mac(key: bytes, body: str) -> str:
    digest = bytes.fromhex(hmac_sm3(key, b"qijian-code\n" + body.encode("ascii")))[:MAC_BYTES]
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def _epoch(moment: dt.datetime) -> int:
    return math.ceil(moment.timestamp())


def sign(kind: str, object_id: int, expires_at: dt.datetime) -> str:
    """The token of one object; the caller picks the expiry (see issue_filing_code / issue_enterprise_code)."""
    if kind not in KINDS or object_id < 1:
        raise ValueError(f"无法为 {kind}:{object_id} 生成码")
    key_id, key = signing_key()
    body = f"{VERSION}.{kind}.{object_id}.{_epoch(expires_at)}.{key_id}"
    return f"{body}.{_mac(key, body)}"


def filing_code_expiry(filing: Any) -> dt.datetime:
    return filing.window_end + dt.timedelta(hours=int(figure("codes.filing_grace_hours")))


def enterprise_code_expiry(now: dt.datetime | None = None) -> dt.datetime:
    """The end of the local day the policy's years from now: codes issued on one day are identical."""
    today = timezone.localdate(now or dt.datetime.now(dt.UTC))
    years = int(figure("codes.enterprise_code_years"))
    try:
        last = today.replace(year=today.year + years)
    except ValueError:  # 29 February into a common year
        last = today.replace(year=today.year + years, day=28)
    return end_of_day(last)


def issue_filing_code(filing: Any) -> str:
    """The inspection code of a filing: valid until its window closes plus the policy's grace."""
    return sign(FILING, filing.pk, filing_code_expiry(filing))


def issue_enterprise_code(enterprise: Any, *, now: dt.datetime | None = None) -> str:
    """An enterprise's gate code, valid for the policy's years from now (issuing again gives a new expiry)."""
    return sign(ENTERPRISE, enterprise.pk, enterprise_code_expiry(now))


def read_code(token: str, *, kind: str | None = None, now: dt.datetime | None = None) -> CodeClaims:
    """Verify a token and return its claims, or raise CodeError saying why it is refused."""
    match = _TOKEN.fullmatch(token) if isinstance(token, str) and len(token) <= MAX_TOKEN_CHARS else None
    if match is None or match["kind"] not in KINDS:
        raise CodeError("malformed", "码格式不正确,不是企检系统签发的码")
    key = key_for(match["key"])
    if key is None:
        raise CodeError("unknown_key", "码的签名密钥已停用或不存在,此码无效")
    if not std_hmac.compare_digest(_mac(key, match["body"]).encode(), match["mac"].encode()):
        raise CodeError("bad_signature", "码的签名不符:此码被篡改或伪造")
    claims = CodeClaims(
        kind=match["kind"],
        object_id=int(match["id"]),
        expires_at=dt.datetime.fromtimestamp(int(match["exp"]), tz=dt.UTC),
        key_id=match["key"],
    )
    if (now or dt.datetime.now(dt.UTC)) > claims.expires_at:
        raise CodeError("expired", f"此码已于 {_local(claims.expires_at)} 过期")
    if kind is not None and claims.kind != kind:
        raise CodeError("wrong_kind", f"这是{KINDS[claims.kind]},此处需要{KINDS.get(kind, kind)}")
    return claims


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def token_from_text(text: str) -> str:
    """The token in what a scanner read: the bare token or the URL printed in the QR code."""
    text = (text or "").strip()
    found = _IN_URL.search(text)
    return found["token"] if found else text


def public_url(token: str) -> str:
    """The address a QR code carries: ``<QJ_PUBLIC_BASE_URL>/c/<token>``."""
    return f"{str(settings.QJ_PUBLIC_BASE_URL).rstrip('/')}/c/{token}"
