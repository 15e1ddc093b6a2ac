"""Making before/after values JSON-safe so the stored JSON and the hashed form agree after a round trip.

The rules keep one spelling that SQLite's text JSON and PostgreSQL's jsonb both give back unchanged:
dates, decimals, UUIDs become strings (DjangoJSONEncoder); keys become strings; NUL characters (which
jsonb refuses) and lone surrogates become U+FFFD; floats that JSON would spell with an exponent of 16
or more become integers (jsonb prints them as integers); -0.0 becomes 0.0; NaN and infinities refuse.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def _text(value: str) -> str:
    clean = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if _has_surrogate(value) else value
    return clean.replace("\x00", "\ufffd")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(value: str) -> bool:
    return _SURROGATE.search(value) is not None


def _number(value: float) -> float | int:
    if not math.isfinite(value):
        raise ValueError("审计记录不能包含 NaN 或无穷大")
    if value == 0:
        return 0.0
    return int(value) if "e+" in repr(value) else value


def _normalise(value: Any) -> Any:
    if isinstance(value, dict):
        return {_text(str(k)): _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, float):
        return _number(value)
    return value


def json_safe(value: Any) -> Any:
    """The JSON-safe, round-trip-stable form of ``value`` (None stays None)."""
    if value is None:
        return None
    plain = json.loads(json.dumps(value, cls=DjangoJSONEncoder, allow_nan=True))
    return _normalise(plain)


def text_safe(value: str, limit: int) -> str:
    return _text(value)[:limit]
