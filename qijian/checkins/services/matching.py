"""Check-in services: matching a scan to a filing, and input checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.db import connection

from qijian.checkins.choices import CheckInSource
from qijian.checkins.services.base import KEY_MAX, CheckInError
from qijian.core import rawsql
from qijian.enterprises.models import Enterprise
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from qijian.org.models import Inspector
from qijian.oversight import rules
from qijian.policy.loader import figure

# --- the filing ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    filing: Filing | None
    department_filings: int  # covering filings of the inspector's department (as filer or partner)
    at: dt.datetime  # the moment matched: the server's time, or an offline replay's client time


def department_filings(inspector: Inspector, enterprise_id: int, lo: dt.datetime, hi: dt.datetime) -> list[Filing]:
    """ACTIVE filings of the enterprise by the inspector's department (as filer or partner) whose window
    overlaps [lo, hi], those listing the inspector first (one query; ``match_filing`` picks per moment).
    The same conditions as ``inspections.queries.filings_covering``, over a span instead of one moment,
    so that a phone's queue of check-ins is matched with one query.

    Hand-written SQL: this runs on every check-in, and building the equivalent ORM query (a join through
    the enterprises, an OR with the partners' subquery, an EXISTS annotation) cost more CPU than the
    rest of the lookups together (bench/bench_checkins.py). ``tests/checkins`` hold it to the rules."""
    sql, params = _filings_sql(connection.vendor), _filings_params(inspector, enterprise_id, lo, hi)
    return rawsql.load(Filing, sql, params, extra=["names_inspector"])


def enterprise_and_filings(
    inspector: Inspector, enterprise_id: int, lo: dt.datetime, hi: dt.datetime
) -> tuple[Enterprise, list[Filing]] | None:
    """The enterprise and its ``department_filings`` in one query (one round trip fewer on every
    check-in); None when there is no such enterprise."""
    params = [*_filings_params(inspector, enterprise_id, lo, hi), enterprise_id]
    rows = rawsql.load_rows(Enterprise, _joined_sql(connection.vendor), params)
    if not rows:
        return None
    filings = []
    for _enterprise, (*values, names_inspector) in rows:
        if values[0] is not None:  # the LEFT JOIN's empty side: no filing
            filing = rawsql.make(Filing, values)
            filing.names_inspector = names_inspector  # type: ignore[attr-defined]
            filings.append(filing)
    return rows[0][0], filings


_FILINGS_SQL = """
SELECT {columns}, EXISTS (
    SELECT 1 FROM {inspectors} i WHERE i.filing_id = f.id AND i.inspector_id = %s
) AS names_inspector
FROM {filing} f JOIN {enterprises} e ON e.filing_id = f.id AND e.enterprise_id = %s
WHERE f.status = %s AND f.window_start <= %s AND f.window_end >= %s
  AND (f.department_id = %s OR f.id IN (SELECT p.filing_id FROM {partners} p WHERE p.department_id = %s))
"""
_FILINGS_ORDER = "ORDER BY names_inspector DESC, f.window_start, f.id"
_JOINED_SQL = """
SELECT {enterprise_columns}, {filing_columns}, fx.names_inspector
FROM {enterprise} e LEFT JOIN ({filings}) fx ON 1 = 1
WHERE e.id = %s
ORDER BY fx.names_inspector DESC, fx.window_start, fx.id
"""


def _filings_params(inspector: Inspector, enterprise_id: int, lo: dt.datetime, hi: dt.datetime) -> list[Any]:
    moments = (connection.ops.adapt_datetimefield_value(moment) for moment in (hi, lo))
    department = inspector.department_id
    return [inspector.pk, enterprise_id, FilingStatus.ACTIVE.value, *moments, department, department]


@cache
def _filings_sql(vendor: str) -> str:
    return _filings_select(vendor) + _FILINGS_ORDER


@cache
def _joined_sql(vendor: str) -> str:
    return _JOINED_SQL.format(
        enterprise_columns=rawsql.columns(Enterprise, "e"),
        filing_columns=rawsql.columns(Filing, "fx"),
        enterprise=rawsql.table(Enterprise),
        filings=_filings_select(vendor),
    )


@cache
def _filings_select(vendor: str) -> str:
    quote = connection.ops.quote_name
    return _FILINGS_SQL.format(
        **{
            "columns": rawsql.columns(Filing, "f"),
            "filing": quote(Filing._meta.db_table),
            "enterprises": quote(Filing.enterprises.through._meta.db_table),
            "inspectors": quote(Filing.inspectors.through._meta.db_table),
            "partners": quote(Filing.partners.through._meta.db_table),
        }
    )


def match_filing(candidates: Sequence[Filing], moments: Sequence[dt.datetime]) -> Match:
    """The first candidate covering one of ``moments`` (tried in order) that lists the inspector."""
    best = Match(None, 0, moments[0])
    for at in moments:
        covering = [f for f in candidates if f.window_start <= at <= f.window_end]
        named = next((f for f in covering if getattr(f, "names_inspector", False)), None)
        if named is not None:
            return Match(named, len(covering), at)
        if covering and not best.department_filings:
            best = Match(None, len(covering), at)
    return best


def _moments(now: dt.datetime, source: str, client_time: dt.datetime | None) -> list[dt.datetime]:
    """An offline replay is matched at the phone's time first (when it is not in the future), then now."""
    if source == CheckInSource.OFFLINE and client_time is not None and client_time <= now:
        return [client_time, now]
    return [now]


def _check_on_site_people(filing: Filing, people: Sequence[Inspector], day: dt.date) -> None:
    """R03: an on-site inspection needs enough certified people (the scanner and its companions)."""
    facts = [rules.InspectorFact(p.certificate_no, p.is_certified_on(day)) for p in people]
    minimum = int(figure("inspectors.min_on_site"))
    finding = rules.too_few_inspectors(method=filing.method, inspectors=facts, minimum=minimum)
    if finding is not None:
        raise CheckInError(f"{finding.message};请同行执法人员一同扫码或录入其执法证号。")


# --- input checks ------------------------------------------------------------------------------------------


def _key(value: Any) -> str:
    key = str(value or "").strip()
    if not key or len(key) > KEY_MAX:
        raise CheckInError(f"幂等键须为1至{KEY_MAX}个字符(由手机为每次扫码生成)。")
    return key


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and (not isinstance(moment, dt.datetime) or moment.tzinfo is None):
        raise CheckInError("手机记录时间须为带时区的时间。")
    return moment


def _coordinate(value: Any, limit: int, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise CheckInError(f"{label}格式不正确。") from exc
    if not -limit <= number <= limit:
        raise CheckInError(f"{label}超出范围。")
    return number


def _accuracy(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise CheckInError("定位精度须为非负整数(米)。") from exc
    if not 0 <= number <= 2_000_000_000:
        raise CheckInError("定位精度须为非负整数(米)。")
    return number


def _source(value: str) -> str:
    if value not in CheckInSource.values:
        raise CheckInError("来源应为在线扫码、离线补传或手工输入企业码。")
    return value
