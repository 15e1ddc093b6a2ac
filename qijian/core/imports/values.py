"""Turning cell values into typed field values; each parser raises ValueError with a Chinese message."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from qijian.core.imports.reader import Cell

_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: Cell) -> dt.date:
    """Accept Excel date cells, 2024-01-31, 2024/1/31, 2024.1.31, 2024年1月31日 and 20240131."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if len(value) == 10 and value[4] == "-":  # the common 2024-01-31: parsed in C
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    text = value.strip()
    match = _DATE.match(text) or (re.match(r"^(\d{4})(\d{2})(\d{2})$", text) if len(text) == 8 else None)
    if match is None:
        raise ValueError(f"日期格式无法识别:“{text}”(应为 2024-01-31 或 2024/1/31)")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"日期不存在:“{text}”") from None


def text(value: Cell) -> str:
    return value.isoformat() if isinstance(value, dt.date) else value


def check_length(value: str, limit: int) -> None:
    if len(value) > limit:
        raise ValueError(f"长度不能超过{limit}个字符(实际{len(value)}个)")


def choice_map(choices: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Map a TextChoices' labels, values and the parts of a label such as 存续(在营) to the value."""
    out: dict[str, str] = {}
    for value, label in choices:
        out[value] = value
        out[label] = value
        for part in re.split(r"[()()/、]", label):
            if part:
                out.setdefault(part, value)
    return out


def choice_hint(choices: Iterable[tuple[str, str]]) -> str:
    return "、".join(label for _, label in choices)
