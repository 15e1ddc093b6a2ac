"""Unified social credit code (统一社会信用代码), GB 32100-2015, with its GB 11714 organisation code.

Layout (18 characters): registration authority (1) + organisation type (1) + administrative
division (6, GB/T 2260) + organisation code (9, GB 11714: 8 body characters and a check
character) + check character (1). No Django import.
"""

from __future__ import annotations

from dataclasses import dataclass

# GB 32100-2015 alphabet: digits and upper-case letters without I, O, Z, S, V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714: weights for the 8 body characters; letters count as A=10 … Z=35.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class UsccCheck:
    code: str
    ok: bool
    message: str  # empty when ok; a Chinese explanation otherwise


def _org_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def org_check_char(body: str) -> str:
    """GB 11714 check character for an 8-character organisation-code body."""
    total = sum(_org_value(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def uscc_check_char(first17: str) -> str:
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def make_uscc(prefix8: str, org_body8: str) -> str:
    """Build a valid code from the first 8 characters and an 8-character organisation body."""
    first17 = prefix8 + org_body8 + org_check_char(org_body8)
    return first17 + uscc_check_char(first17)


def check_uscc(raw: str) -> UsccCheck:
    code = (raw or "").strip().upper()
    if len(code) != 18:
        return UsccCheck(code, False, f"长度应为18位,实际为{len(code)}位")
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return UsccCheck(code, False, f"含有不允许的字符:{''.join(bad)}")
    if not code[2:8].isdigit():
        return UsccCheck(code, False, "第3–8位应为行政区划代码(6位数字)")
    if code[-1] != uscc_check_char(code[:17]):
        return UsccCheck(code, False, f"校验位错误,应为{uscc_check_char(code[:17])}")
    body, org_check = code[8:16], code[16]
    if all(ch.isdigit() or "A" <= ch <= "Z" for ch in body) and org_check != org_check_char(body):
        return UsccCheck(code, False, "组织机构代码部分(第9–17位)校验位错误")
    return UsccCheck(code, True, "")
