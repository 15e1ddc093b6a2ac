"""Rows as PostgreSQL COPY text (text format: a tab between values, \\N for NULL, backslash escapes).

A worker formats a whole batch at once (``copy_text``): the values are joined in C, column by column,
and only the columns holding other values than text are converted (a column of ints or dates converts
each distinct value once). If the joined text holds a character that COPY must see escaped (a
backslash, tab, line break or carriage return inside a value), the batch is formatted again row by
row with escapes (``copy_line``). Rows may come as tuples or as ``ColumnRows``, the columns that a
column-by-column checker produces, which are formatted without building a tuple per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NUL = "\x00"
# Types whose equal values always have the same text (unlike 1 and True, or 0.0 and -0.0).
_SAME_TEXT_WHEN_EQUAL = frozenset({int, dt.date, type(None)})


class ColumnRows(Sequence[tuple[Any, ...]]):
    """Rows kept as columns (lists of equal length): a sequence of row tuples to any reader."""

    def __init__(self, columns: list[list[Any]]) -> None:
        self.columns = columns

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    @overload
    def __getitem__(self, index: int) -> tuple[Any, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[Any, ...] | list[tuple[Any, ...]]:
        if isinstance(index, slice):
            return list(zip(*(column[index] for column in self.columns), strict=True))
        return tuple(column[index] for column in self.columns)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return zip(*self.columns, strict=True)


def column(rows: Sequence[Sequence[Any]], index: int) -> list[Any]:
    """Every row's value at ``index``."""
    return rows.columns[index] if isinstance(rows, ColumnRows) else [row[index] for row in rows]


def _field(value: Any) -> str:
    """One value in COPY's text format: NULL is \\N; str() of ints, dates and datetimes is what PostgreSQL reads."""
    if value is None:
        return "\\N"
    return value.translate(_ESCAPES) if isinstance(value, str) else str(value)


def copy_line(row: Sequence[Any], width: int) -> str:
    """Format one row; the common case (no special characters) costs a single join.

    NULL is first written as NUL (which no PostgreSQL text value may contain) so that the backslash
    test below only sees backslashes from the data.
    """
    line = "\t".join([v if v.__class__ is str else (_NUL if v is None else str(v)) for v in row])
    if "\\" in line or "\n" in line or "\r" in line or line.count("\t") != width - 1:
        return "\t".join([_field(v) for v in row])
    return line.replace(_NUL, "\\N") if _NUL in line else line


def copy_text(rows: Iterable[Sequence[Any]], width: int, trailing: Sequence[str] = ()) -> str:
    """Rows, each followed by the ``trailing`` values, as one block of COPY text (one line per row)."""
    block = rows if isinstance(rows, ColumnRows | list) else list(rows)
    if not block:
        return ""
    text = _joined(_columns(block, trailing), len(block), width)
    if text is None:
        return "\n".join([copy_line((*row, *trailing), width) for row in block]) + "\n"
    return (text.replace(_NUL, "\\N") if _NUL in text else text) + "\n"


def _columns(rows: Sequence[Sequence[Any]], trailing: Sequence[str]) -> list[Sequence[Any]] | None:
    """The rows' columns, the trailing values included; None when the rows differ in width."""
    try:
        columns: list[Sequence[Any]] = [*rows.columns] if isinstance(rows, ColumnRows) else [*zip(*rows, strict=True)]
    except ValueError:
        return None
    return [*columns, *([value] * len(rows) for value in trailing)]


def _joined(columns: list[Sequence[Any]] | None, count: int, width: int) -> str | None:
    """The lines joined, NULL as NUL; None unless every value can go to COPY as it is."""
    if columns is None or len(columns) != width:
        return None
    try:  # convert the columns whose first value is not text; all of them if that is not enough
        text = _join(_converted(columns, [i for i, values in enumerate(columns) if values[0].__class__ is not str]))
    except TypeError:
        text = _join(_converted(columns, range(width)))
    if "\\" in text or "\r" in text or text.count("\n") != count - 1:
        return None
    return text if text.count("\t") == (width - 1) * count else None


def _join(columns: list[Sequence[Any]]) -> str:
    return "\n".join(map("\t".join, zip(*columns, strict=True)))


def _converted(columns: list[Sequence[Any]], indices: Iterable[int]) -> list[Sequence[Any]]:
    """The columns, those at ``indices`` turned into COPY text."""
    out = list(columns)
    for i in indices:
        out[i] = _column_text(columns[i])
    return out


def _column_text(values: Sequence[Any]) -> Sequence[str]:
    """One column's values as COPY text, NULL still written as NUL (see copy_line)."""
    types = set(map(type, values))
    if types == {str}:
        return values
    if types <= _SAME_TEXT_WHEN_EQUAL:
        texts = {value: _NUL if value is None else str(value) for value in set(values)}
        return list(map(texts.__getitem__, values))
    return [value if value.__class__ is str else (_NUL if value is None else str(value)) for value in values]
