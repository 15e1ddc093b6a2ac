"""Hand-written SQL for the few hot paths that Django's query compiler makes too costly.

The check-in (``POST /api/v1/checkins/``) and the audit event it writes run a dozen statements per
request; building each one through the ORM cost more CPU than the database spent executing it
(docs/benchmarks.md, "Check-ins under load"). These helpers keep the ORM's own pieces — its column
names, its value preparation (``get_db_prep_save``) and its read converters, so that rows come back as
the same model instances with the same Python values on SQLite and PostgreSQL — and only skip the
per-call compilation. They are for simple statements on one table: anything else stays in the ORM.

An insert through here sends no ``pre_save``/``post_save`` signal; ``insert`` refuses a model that has
receivers for them rather than skip them silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

M = TypeVar("M", bound=Model)


_shared: ContextVar[tuple[Any, Any] | None] = ContextVar("qijian_rawsql_shared_cursor", default=None)


@contextmanager
def cursor(db: Any = None) -> Iterator[Any]:
    """Django's cursor (inside ``one_cursor``, its shared one); on PostgreSQL with server-side binding
    (settings, ``QJ_DB_PREPARED``) psycopg prepares each statement run through it, so PostgreSQL plans
    it once per connection.

    Only these statements are prepared: they look rows up by key, where the plan never depends on the
    values. The ORM's are not (psycopg's automatic preparing stays off): a prepared LIKE search may
    switch to a generic plan that is far worse for some patterns (docs/benchmarks.md)."""
    db = db or connections[DEFAULT_DB_ALIAS]
    shared = _shared.get()
    if shared is not None and shared[0] is db:
        with _preparing(db):
            yield shared[1]
        return
    with db.cursor() as found, _preparing(db):
        yield found


@contextmanager
def one_cursor() -> Iterator[None]:
    """Every statement of this module inside runs on one Django cursor of the default database.

    Opening a cursor (Django's wrapper and psycopg's) cost about as much client CPU as sending a
    statement; a check-in request runs five through it. Nested calls share the outer cursor."""
    db = connections[DEFAULT_DB_ALIAS]
    if _shared.get() is not None:
        yield
        return
    with db.cursor() as found:
        token = _shared.set((db, found))
        try:
            yield
        finally:
            _shared.reset(token)


@contextmanager
def _preparing(db: Any) -> Iterator[None]:
    options = db.settings_dict.get("OPTIONS", {})
    if db.vendor != "postgresql" or not options.get("server_side_binding"):
        yield
        return
    before, db.connection.prepare_threshold = db.connection.prepare_threshold, 0
    try:
        yield
    finally:
        db.connection.prepare_threshold = before


Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Reader:
    attnames: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Converter, ...], Any], ...]  # (position, converters, column expression)


@cache
def _reader(model: type[Model], vendor: str) -> _Reader:
    fields = model._meta.concrete_fields
    found = []
    for position, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        convs = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if convs:
            found.append((position, tuple(convs), column))
    return _Reader(tuple(f.attname for f in fields), tuple(found))


def columns(model: type[Model], alias: str = "") -> str:
    """The model's concrete columns, in field order, for a hand-written ``SELECT`` (``alias.`` prefixed)."""
    return _columns(model, alias, connection.vendor)


@cache
def _columns(model: type[Model], alias: str, vendor: str) -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def load(model: type[M], sql: str, params: Sequence[Any], extra: Sequence[str] = ()) -> list[M]:
    """Instances of ``model`` from ``sql``, which selects ``columns(model)`` first, then one column per name
    in ``extra`` (set on each instance as an attribute, unconverted)."""
    found = []
    for instance, rest in load_rows(model, sql, params):
        for name, value in zip(extra, rest, strict=True):
            setattr(instance, name, value)
        found.append(instance)
    return found


def load_rows(model: type[M], sql: str, params: Sequence[Any]) -> list[tuple[M, tuple[Any, ...]]]:
    """``(instance, the row's further columns)`` for each row of ``sql`` (``columns(model)`` first)."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each ``connection.x`` is a thread-local lookup
    width = len(_reader(model, db.vendor).attnames)
    with cursor(db) as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    return [(make(model, row[:width], db), tuple(row[width:])) for row in rows]


def make(model: type[M], values: Sequence[Any], db: Any = None) -> M:
    """An instance of ``model`` from the raw values of ``columns(model)``, converted as the ORM converts them."""
    db = db or connections[DEFAULT_DB_ALIAS]
    reader = _reader(model, db.vendor)
    converted = list(values)
    for position, convs, column in reader.converters:
        for conv in convs:
            converted[position] = conv(converted[position], column, db)
    return _builder(model, reader.attnames)(db.alias, converted)


def _builder(model: type[M], attnames: tuple[str, ...]) -> Callable[[str, list[Any]], M]:
    """``model.from_db`` for a row of every concrete field, or an equivalent that skips ``Model.__init__``
    (its per-field descriptor lookups cost more than the query's own client work) when nothing could
    tell the difference: ``__init__`` and ``from_db`` not overridden, no ``pre_init``/``post_init``
    receiver, and every field stored as a plain attribute (Django's deferred-loading descriptors)."""
    if not _plain_model(model) or signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return lambda alias, values: model.from_db(alias, attnames, values)

    def build(alias: str, values: list[Any]) -> M:
        instance = model.__new__(model)
        instance.__dict__.update(zip(attnames, values, strict=True))
        state = instance._state = ModelState()
        state.adding, state.db = False, alias
        return instance

    return build


@cache
def _plain_model(model: type[Model]) -> bool:
    if model.__init__ is not Model.__init__ or model.from_db.__func__ is not Model.from_db.__func__:  # type: ignore[attr-defined]
        return False
    plain = (DeferredAttribute, ForeignKeyDeferredAttribute)
    return all(type(getattr(model, f.attname, None)) in plain for f in model._meta.concrete_fields)


def convert(model: type[Model], attname: str, value: Any) -> Any:
    """A raw column value of ``model.attname`` as the ORM would return it (an ``extra`` column of ``load``)."""
    reader = _reader(model, connection.vendor)
    for position, convs, column in reader.converters:
        if reader.attnames[position] == attname:
            for conv in convs:
                value = conv(value, column, connection)
    return value


def placeholders(values: Iterable[Any]) -> str:
    """``%s, %s, …`` for an ``IN (…)`` list (never empty: callers check first)."""
    return ", ".join("%s" for _ in values)


# --- inserts -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Writer:
    sql: str
    fields: tuple[Field[Any, Any], ...]
    returns: bool  # RETURNING the primary key (else the cursor's lastrowid)


@cache
def _writer(model: type[Model], vendor: str) -> _Writer:
    pk = model._meta.pk
    fields = tuple(f for f in model._meta.concrete_fields if f is not pk)
    quote = connection.ops.quote_name
    returns = bool(connection.features.can_return_columns_from_insert)
    sql = (
        f"INSERT INTO {table(model)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({placeholders(fields)})" + (f" RETURNING {quote(pk.column)}" if returns else "")  # type: ignore[union-attr]
    )
    return _Writer(sql, fields, returns)


def insert(instance: M) -> M:
    """``instance.save(force_insert=True)`` for a model with an auto primary key, in one statement."""
    db = connections[DEFAULT_DB_ALIAS]
    writer, values = _prepared(instance, db)
    with cursor(db) as cur:
        cur.execute(writer.sql, values)
        pk = cur.fetchone()[0] if writer.returns else cur.lastrowid  # type: ignore[index]
    return _stored(instance, pk, db)


def insert_linked(
    instance: M,
    through: type[Model],
    names: tuple[str, str],
    others: Sequence[int],
    also: tuple[str, Sequence[Any]] | None = None,
) -> tuple[M, tuple[Any, ...] | None]:
    """``insert(instance)`` and a row of the many-to-many table ``through`` for each id in ``others``
    (``names``: its field to ``instance``, its field to the others); one statement on PostgreSQL.

    ``also``: a query (SQL, parameters) that must not read the tables written here; its first row is
    returned beside the instance (None without ``also``; when the query gives no row: None, or on
    PostgreSQL a row of NULLs). On PostgreSQL it runs in the same statement, one round trip fewer
    (where it would not see the new rows: a statement's parts share one snapshot)."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        insert(instance)
        insert_pairs(through, names, [(instance.pk, other) for other in others])
        return instance, _first_row(*also) if also else None
    writer, values = _prepared(instance, db)
    pk, cols = _quote_pk(type(instance)), _named_columns(through, names)
    sql = (
        f"WITH new AS ({writer.sql}), links AS (INSERT INTO {table(through)} ({cols}) "  # noqa: S608
        f"SELECT new.{pk}, other FROM new, unnest(%s::bigint[]) AS other) SELECT new.{pk}"
    )
    also_sql, also_params = also or ("", [])
    sql += f", also.* FROM new LEFT JOIN ({also_sql}) AS also ON TRUE" if also else " FROM new"
    with cursor(db) as cur:
        cur.execute(sql, [*values, list(others), *also_params])
        row = cur.fetchone()
    _stored(instance, row[0], db)  # type: ignore[index]
    return instance, tuple(row[1:]) if also else None  # type: ignore[index]


def _first_row(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    with cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return tuple(row) if row is not None else None


def _quote_pk(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.pk.column)  # type: ignore[union-attr]


def _named_columns(model: type[Model], names: Sequence[str]) -> str:
    """The quoted columns of ``model``'s fields ``names``, comma-separated."""
    fields = (cast(Field[Any, Any], model._meta.get_field(n)) for n in names)
    return ", ".join(connection.ops.quote_name(f.column) for f in fields)


def _prepared(instance: Model, db: Any) -> tuple[_Writer, list[Any]]:
    model = type(instance)
    if signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model):
        raise RuntimeError(f"{model.__name__} has save signal receivers: save it through the ORM")
    writer = _writer(model, db.vendor)
    return writer, [f.get_db_prep_save(f.pre_save(instance, True), db) for f in writer.fields]


def _stored(instance: M, pk: Any, db: Any) -> M:
    instance.pk = pk
    instance._state.adding, instance._state.db = False, db.alias
    return instance


def insert_pairs(model: type[Model], names: tuple[str, str], pairs: Sequence[tuple[int, int]]) -> None:
    """Rows of a two-column link table (a many-to-many ``through``) in one statement."""
    if not pairs:
        return
    cols, rows = _named_columns(model, names), ", ".join("(%s, %s)" for _ in pairs)
    with cursor() as cur:
        sql = f"INSERT INTO {table(model)} ({cols}) VALUES {rows}"  # noqa: S608 — identifiers from the model
        cur.execute(sql, [v for pair in pairs for v in pair])
