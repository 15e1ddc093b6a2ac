"""Sequential record numbers such as ``TS-2026-000123``: the next free one after a prefix, and an insert
that takes the next number again when a concurrent writer took it first (the number is unique)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, models, transaction


def next_number(model: type[models.Model], prefix: str, width: int) -> str:
    """``prefix`` + the sequence after the highest number of ``model`` with that prefix, zero-padded."""
    rows = model._default_manager.filter(number__startswith=prefix)
    last = rows.order_by("-number").values_list("number", flat=True).first()
    tail = last[len(prefix) :] if last else ""
    return f"{prefix}{int(tail) + 1 if tail.isdigit() else 1:0{width}d}"


def save_numbered(
    obj: Any, number: Callable[[], str], *, attempts: int, exhausted: Exception, other_conflict: Callable[[], None]
) -> None:
    """Insert ``obj`` under ``number()``, retrying while the number was taken meanwhile. An IntegrityError
    of another constraint calls ``other_conflict`` (which may raise a clearer error) and is re-raised;
    ``exhausted`` is raised when every attempt lost its number."""
    for _attempt in range(attempts):
        obj.number = number()
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
            return
        except IntegrityError:
            obj.pk = None
            if not type(obj)._default_manager.filter(number=obj.number).exists():
                other_conflict()
                raise
    raise exhausted
