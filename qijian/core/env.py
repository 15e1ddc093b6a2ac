"""Typed helpers that read settings from environment variables and fail loudly.

No Django import here: settings.py uses these before Django is configured.
"""

from __future__ import annotations

import datetime as dt
import os


class EnvError(ValueError):
    """An environment variable holds a value that cannot be used."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise EnvError(f"{name}={raw!r} is not an integer") from exc
    if minimum is not None and value < minimum:
        raise EnvError(f"{name}={value} is below the minimum {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise EnvError(f"{name}={value!r} is not one of {sorted(choices)}")
    return value


def env_date(name: str, default: dt.date | None) -> dt.date | None:
    """An ISO date (YYYY-MM-DD); empty or unset gives ``default``."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise EnvError(f"{name}={raw!r} is not a date (use YYYY-MM-DD)") from exc
