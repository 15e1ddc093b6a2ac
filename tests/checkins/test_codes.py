"""Signed inspection and enterprise codes (qijian/checkins/codes.py) and their QR images (qr.py).

These tests use no database: reading a code must not need one (pytest-django refuses DB access here).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import resolve
from hypothesis import given
from hypothesis import strategies as st

from qijian.audit.chain import derive_key
from qijian.checkins import codes, qr
from qijian.checkins.codes import CodeError, issue_enterprise_code, issue_filing_code, read_code

KEY1 = "c1:" + "11" * 32
KEY2 = "c2:" + "22" * 32
WINDOW_END = dt.datetime(2030, 6, 1, 9, 0, tzinfo=dt.UTC)


def filing(pk: int = 42, window_end: dt.datetime = WINDOW_END) -> Any:
    return SimpleNamespace(pk=pk, window_end=window_end)


def enterprise(pk: int = 7) -> Any:
    return SimpleNamespace(pk=pk)


def refusal(token: str, **kw: Any) -> str:
    with pytest.raises(CodeError) as caught:
        read_code(token, **kw)
    assert str(caught.value)  # a Chinese reason for the page
    return caught.value.reason


@pytest.fixture
def keys(settings: Any) -> Any:
    settings.QJ_CODE_KEYS = [KEY1, KEY2]
    settings.QJ_CODE_KEY_ID = "c1"
    return settings


# --- round trip ------------------------------------------------------------------------------------------


def test_a_filing_code_reads_back_as_its_filing_until_the_window_closes_plus_grace() -> None:
    token = issue_filing_code(filing())
    claims = read_code(token, kind=codes.FILING, now=WINDOW_END)
    assert (claims.kind, claims.object_id) == ("F", 42)
    assert claims.expires_at == WINDOW_END + dt.timedelta(hours=24)  # [codes] filing_grace_hours


def test_an_enterprise_code_lasts_the_policy_years_and_reissuing_later_extends_it() -> None:
    first = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
    token = issue_enterprise_code(enterprise(), now=first)
    claims = read_code(token, kind=codes.ENTERPRISE, now=first)
    assert (claims.kind, claims.object_id) == ("E", 7)
    assert claims.expires_at.date() in {dt.date(2029, 3, 1), dt.date(2029, 3, 2)}  # end of the local day, in UTC
    later = read_code(issue_enterprise_code(enterprise(), now=first + dt.timedelta(days=30)), now=first)
    assert later.expires_at > claims.expires_at


def test_codes_issued_on_the_same_day_are_identical() -> None:
    morning = dt.datetime(2026, 3, 1, 1, 0, tzinfo=dt.UTC)
    assert issue_enterprise_code(enterprise(), now=morning) == issue_enterprise_code(
        enterprise(), now=morning + dt.timedelta(hours=3)
    )


def test_an_enterprise_code_issued_on_29_february_ends_on_28_february() -> None:
    leap = dt.datetime(2028, 2, 29, 4, 0, tzinfo=dt.UTC)
    expiry = codes.enterprise_code_expiry(leap)
    assert (expiry.year, expiry.month, expiry.day) == (2031, 2, 28)


def test_a_token_is_short_enough_for_a_small_qr_code() -> None:
    token = issue_filing_code(filing(pk=123456))
    assert token.startswith("QJ1.F.123456.")
    assert len(codes.public_url(token)) < 90


# --- refusals --------------------------------------------------------------------------------------------


MAC = "A" * 22


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "QJ1.F.42",
        f"QJ2.F.42.1900000000.c1.{MAC}",
        f"QJ1.X.42.1900000000.c1.{MAC}",
        f"QJ1.F.042.1900000000.c1.{MAC}",
        f"QJ1.F.42.1900000000.c1.{MAC}=",
        f"QJ1.F.42.1900000000..{MAC}",
        "Q" * 500,
    ],
)
def test_malformed_text_is_refused_as_malformed(text: str) -> None:
    assert refusal(text) == "malformed"


def test_a_valid_token_with_a_trailing_newline_or_space_is_refused() -> None:
    token = issue_filing_code(filing())
    assert refusal(token + "\n") == "malformed"
    assert refusal(token + " ") == "malformed"


def test_an_altered_token_is_refused_as_a_bad_signature() -> None:
    token = issue_filing_code(filing(pk=42))
    assert refusal(token.replace("QJ1.F.42.", "QJ1.F.43.")) == "bad_signature"
    assert refusal(token.replace("QJ1.F.", "QJ1.E.")) == "bad_signature"


def test_a_token_forged_under_another_key_with_the_same_id_is_refused(keys: Any) -> None:
    keys.QJ_CODE_KEYS = ["c1:" + "33" * 32]
    forged = issue_filing_code(filing())
    keys.QJ_CODE_KEYS = [KEY1]
    assert refusal(forged) == "bad_signature"


def test_an_expired_token_is_refused_as_expired() -> None:
    token = issue_filing_code(filing())
    assert read_code(token, now=WINDOW_END + dt.timedelta(hours=24))  # the last second still reads
    assert refusal(token, now=WINDOW_END + dt.timedelta(hours=24, seconds=1)) == "expired"


def test_a_code_of_the_other_kind_is_refused_as_the_wrong_kind() -> None:
    assert refusal(issue_filing_code(filing()), kind=codes.ENTERPRISE) == "wrong_kind"
    assert refusal(issue_enterprise_code(enterprise()), kind=codes.FILING) == "wrong_kind"


def test_a_token_under_a_key_id_no_longer_configured_is_refused_as_unknown(keys: Any) -> None:
    keys.QJ_CODE_KEY_ID = "c2"
    token = issue_filing_code(filing())
    keys.QJ_CODE_KEYS = [KEY1]
    keys.QJ_CODE_KEY_ID = "c1"
    assert refusal(token, now=WINDOW_END) == "unknown_key"


# --- key rotation ------------------------------------------------------------------------------------------


def test_rotating_the_key_id_keeps_old_codes_and_signs_new_ones_with_the_new_key(keys: Any) -> None:
    old = issue_filing_code(filing())
    keys.QJ_CODE_KEY_ID = "c2"
    new = issue_filing_code(filing())
    assert read_code(old, now=WINDOW_END).key_id == "c1"
    assert read_code(new, now=WINDOW_END).key_id == "c2"
    keys.QJ_CODE_KEYS = [KEY2]  # c1 retired: its codes are void, c2's still read
    assert refusal(old, now=WINDOW_END) == "unknown_key"
    assert read_code(new, now=WINDOW_END).object_id == 42


def test_a_current_key_id_missing_from_the_configured_keys_stops_issuing(keys: Any) -> None:
    keys.QJ_CODE_KEY_ID = "c9"
    with pytest.raises(ImproperlyConfigured):
        issue_filing_code(filing())


@pytest.mark.parametrize("pairs", [["c1"], ["c1:zz"], ["c1:00ff"], ["bad id:" + "11" * 32]])
def test_malformed_configured_keys_are_refused_at_use(keys: Any, pairs: list[str]) -> None:
    keys.QJ_CODE_KEYS = pairs
    with pytest.raises(ImproperlyConfigured):
        issue_filing_code(filing())


def test_derived_code_keys_are_never_the_audit_keys() -> None:
    secret = b"the same secret key"
    assert codes.derive_code_key(secret, "k1") != derive_key(secret, "k1")
    assert codes.derive_code_key(secret, "c1") != codes.derive_code_key(secret, "c2")


# --- any single-character change is refused ----------------------------------------------------------------

TOKEN_CHARS = st.characters(codec="utf-8") | st.sampled_from(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ٠١٢"
)


@given(position=st.integers(min_value=0, max_value=200), char=TOKEN_CHARS)
def test_any_single_character_substitution_is_refused(position: int, char: str) -> None:
    token = issue_filing_code(filing())
    index = position % len(token)
    if token[index] == char:
        return
    assert refusal(token[:index] + char + token[index + 1 :], now=WINDOW_END) != "expired"


@given(position=st.integers(min_value=0, max_value=200), char=TOKEN_CHARS)
def test_any_single_character_insertion_or_deletion_is_refused(position: int, char: str) -> None:
    token = issue_filing_code(filing())
    index = position % (len(token) + 1)
    assert refusal(token[:index] + char + token[index:], now=WINDOW_END)
    if index < len(token):
        assert refusal(token[:index] + token[index + 1 :], now=WINDOW_END)


# --- addresses ---------------------------------------------------------------------------------------------


def test_the_qr_address_is_the_public_base_url_and_resolves_to_the_public_page(settings: Any) -> None:
    settings.QJ_PUBLIC_BASE_URL = "https://qijian.example.gov.cn/"
    token = issue_filing_code(filing())
    url = codes.public_url(token)
    assert url == f"https://qijian.example.gov.cn/c/{token}"
    match = resolve(urlsplit(url).path)
    assert (match.view_name, match.kwargs) == ("public_code:show", {"token": token})


@pytest.mark.parametrize(
    "wrap", ["{}", " {} ", "http://127.0.0.1:8000/c/{}", "https://x.cn/c/{}/", "https://x.cn/c/{}?s=1"]
)
def test_a_scanned_address_or_bare_token_yields_the_token(wrap: str) -> None:
    token = issue_enterprise_code(enterprise())
    assert codes.token_from_text(wrap.format(token)) == token


# --- QR images ---------------------------------------------------------------------------------------------


def test_png_is_a_png_image_and_differs_by_text() -> None:
    first, second = qr.png("http://127.0.0.1:8000/c/a"), qr.png("http://127.0.0.1:8000/c/b")
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert first != second
    assert qr.png("http://127.0.0.1:8000/c/a") == first  # deterministic: the same code, the same image


def test_svg_is_an_svg_document_and_differs_by_text() -> None:
    first, second = qr.svg("http://127.0.0.1:8000/c/a"), qr.svg("http://127.0.0.1:8000/c/b")
    assert first.lstrip().startswith("<svg") or first.lstrip().startswith("<?xml")
    assert 'xmlns="http://www.w3.org/2000/svg"' in first
    assert "<script" not in first
    assert first != second


def test_an_empty_text_has_no_qr_image() -> None:
    with pytest.raises(ValueError):
        qr.png("")
