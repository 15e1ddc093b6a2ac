"""Keyset (seek) pagination for HTML lists: constant cost on any page of a million rows.

A page is the ``size`` rows after (or before) a boundary id, ordered by id. The links carry the
boundary id (``?after=`` / ``?before=``) and keep every other query parameter (filters, search),
so there is never an OFFSET and never a COUNT(*) to render a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet
from django.http import QueryDict

PAGE_SIZE = 50
_BOUNDARIES = ("after", "before")


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    next_url: str | None
    prev_url: str | None
    first_url: str | None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_url or self.prev_url)


def _boundary(params: QueryDict, name: str) -> int | None:
    raw = params.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None


def _url(params: QueryDict, **boundary: int) -> str:
    query = params.copy()
    for name in _BOUNDARIES:
        query.pop(name, None)
    for name, value in boundary.items():
        query[name] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _page_before(qs: QuerySet[Any], params: QueryDict, before: int, size: int) -> KeysetPage:
    rows = list(qs.filter(pk__lt=before).order_by("-pk")[: size + 1])
    more_before = len(rows) > size
    items = rows[:size][::-1]
    return KeysetPage(
        items=items,
        next_url=_url(params, after=items[-1].pk) if items else _url(params),
        prev_url=_url(params, before=items[0].pk) if more_before else None,
        first_url=_url(params),
    )


def _page_after(qs: QuerySet[Any], params: QueryDict, after: int | None, size: int) -> KeysetPage:
    rows = list((qs if after is None else qs.filter(pk__gt=after)).order_by("pk")[: size + 1])
    items = rows[:size]
    return KeysetPage(
        items=items,
        next_url=_url(params, after=items[-1].pk) if len(rows) > size else None,
        prev_url=_url(params, before=items[0].pk) if after is not None and items else None,
        first_url=_url(params) if after is not None else None,
    )


def keyset_page(qs: QuerySet[Any], params: QueryDict, *, size: int = PAGE_SIZE) -> KeysetPage:
    """One page of ``qs`` by id, in one query, from the ``after``/``before`` boundary in ``params``."""
    before = _boundary(params, "before")
    if before is not None:
        return _page_before(qs, params, before, size)
    return _page_after(qs, params, _boundary(params, "after"), size)


def estimated_rows(model: type[Model]) -> int | None:
    """The planner's row estimate for a whole table (PostgreSQL), or an exact count elsewhere.

    On PostgreSQL this reads ``pg_class.reltuples`` (kept by ANALYZE / autovacuum), one cheap
    query however big the table; it is None when the table has never been analysed.
    """
    if connection.vendor != "postgresql":
        return model._default_manager.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None and row[0] >= 0 else None
