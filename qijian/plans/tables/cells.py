"""Reading one cell of an uploaded table: each parser returns a value or raises CellError (Chinese)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from qijian.core.exports import FORMULA_PREFIXES
from qijian.core.imports.reader import Cell

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_WINDOW_SEP = re.compile(r"\s*(?:至|~|～|—|–|到)\s*")
_TARGET = re.compile(r"^(?P<name>.*?)\s*[(（]\s*(?P<uscc>[0-9A-Za-z]{18})\s*[)）]$")
_TARGET_SEP = re.compile(r"[；;\n]+")
_LIST_SEP = re.compile(r"[、,，;；\n]+")
_LENIENCY = re.compile(r"(免罚|减轻处罚|不予强制)\s*[:：]?\s*(\d+)\s*(?:件)?")
_LENIENCY_REST = re.compile(r"[\s/／、,，;；]+")
LENIENCY_KEYS = {"免罚": "no_penalty_count", "减轻处罚": "reduced_penalty_count", "不予强制": "no_coercion_count"}


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in Chinese."""


def text(value: Cell) -> str:
    """A cell as text; the apostrophe the exporter puts before formula-like text is dropped."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    out = str(value).strip()
    if out.startswith("'") and out[1:].startswith(FORMULA_PREFIXES):
        return out[1:]
    return out


def required(value: str) -> str:
    if not value:
        raise CellError("不能为空")
    return value


def count(value: str) -> int:
    if not required(value).isdigit():
        raise CellError(f"应为非负整数,实为“{value}”")
    return int(value)


def yes_no(value: str) -> bool:
    if value in ("是", "否"):
        return value == "是"
    raise CellError(f"应填“是”或“否”,实为“{value or '(空)'}”")


def date(value: str) -> dt.date:
    match = _DATE.match(value)
    if not match:
        raise CellError(f"日期“{value}”格式不对,应如 2026-10-08")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError(f"日期“{value}”不存在") from None


def window(value: str) -> tuple[dt.date, dt.date]:
    """ "2026-10-08至2026-12-20" (or a single day)."""
    parts = _WINDOW_SEP.split(required(value))
    if len(parts) > 2:
        raise CellError(f"应如“2026-10-08至2026-12-20”,实为“{value}”")
    start, end = date(parts[0]), date(parts[-1])
    if end < start:
        raise CellError("结束日期早于开始日期")
    return start, end


def choice(value: str, labels: dict[str, str], what: str) -> str:
    """A label of a TextChoices (``labels``: label -> value)."""
    if value not in labels:
        raise CellError(f"{what}应为{'/'.join(labels)}之一,实为“{value or '(空)'}”")
    return labels[value]


def names(value: str) -> list[str]:
    return [part.strip() for part in _LIST_SEP.split(value) if part.strip()]


def target_parts(value: str) -> tuple[list[tuple[str, str]], str]:
    """Enterprises as (name, USCC) and the rest as the target rule, from "名称(代码)；…；抽查范围"."""
    found: list[tuple[str, str]] = []
    rule: list[str] = []
    for part in (p.strip() for p in _TARGET_SEP.split(value)):
        match = _TARGET.match(part)
        if match:
            found.append((match["name"], match["uscc"].upper()))
        elif part:
            rule.append(part)
    return found, "；".join(rule)


def usccs(values: Iterable[str]) -> set[str]:
    return {uscc for value in values for _, uscc in target_parts(value)[0]}


def leniency(value: str) -> dict[str, int]:
    """ "免罚1/减轻处罚0/不予强制2" -> the three counts; a blank cell is three zeros."""
    counts = dict.fromkeys(LENIENCY_KEYS.values(), 0)
    for label, number in _LENIENCY.findall(value):
        counts[LENIENCY_KEYS[label]] = int(number)
    if _LENIENCY_REST.sub("", _LENIENCY.sub("", value)):
        raise CellError(f"应如“免罚1/减轻处罚0/不予强制2”,实为“{value}”")
    return counts
