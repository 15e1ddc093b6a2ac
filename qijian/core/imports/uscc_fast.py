"""A fast yes/no form of ``qijian.core.codes.uscc.check_uscc`` for bulk imports.

``check_uscc`` explains what is wrong with a code; an import of a million rows only needs to know
whether a code is valid, and asks ``check_uscc`` for the explanation when it is not. This function
computes the same two check characters with ``map`` instead of Python-level loops (about five times
faster); a property test holds it equal to ``check_uscc(code).ok``.
"""

from __future__ import annotations

from operator import mul

from qijian.core.codes.uscc import _ORG_WEIGHTS, _WEIGHTS, ALPHABET

_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_ORG_VALUE = {ch: (int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10) for ch in ALPHABET}
_ORG_CHECK = "0123456789X0"  # index 11 - sum % 11 (1…11): 10 → X, 11 → 0


def is_valid_uscc(code: str) -> bool:
    """True exactly when ``check_uscc(code).ok`` for an already stripped, upper-case code."""
    if len(code) != 18:
        return False
    try:
        values = list(map(_VALUE.__getitem__, code))
    except KeyError:
        return False
    if ALPHABET[(31 - sum(map(mul, values, _WEIGHTS)) % 31) % 31] != code[17] or not code[2:8].isdigit():
        return False
    org = sum(map(mul, map(_ORG_VALUE.__getitem__, code[8:16]), _ORG_WEIGHTS))
    return code[16] == _ORG_CHECK[11 - org % 11]


def in_alphabet(code: str) -> bool:
    """18 characters of the GB 32100 alphabet: the shape of a code, whether or not its checks pass."""
    return len(code) == 18 and all(ch in _VALUE for ch in code)
