"""Where indicator values come from: a registry of sources, each named by the policy's ``data`` key.

A source collects the values of its indicators for every enterprise at once (one grouped query, no
per-enterprise query) and says what an enterprise it has no row for gets: ``None`` (no data: the
policy's ``missing`` sub-score) for imported data, 0 for events Qijian records (no check-in with
problems means none happened).

Built in: ``imported`` (IndicatorValue, the latest year up to the data year), ``checkins`` (results of
check-ins in the window), ``filings`` (urgent filings in the window with a reason the indicator lists)
and ``alerts`` (oversight alerts naming the enterprise, of the rules the indicator lists; no default
indicator uses it: rules R01–R11 concern the inspecting departments, not the enterprise).

Complaints (issue 7) and leniency records add themselves with ``register(IndicatorSource(...))`` (from
their AppConfig.ready) and an indicator table in the policy file naming their ``data`` code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from qijian.grading.scoring import IndicatorRule, Value
from qijian.policy.loader import figure

Values = dict[int, dict[str, Value]]


@dataclass(frozen=True)
class Window:
    """What a list counts: imported data of ``data_year`` (or earlier), events in [start, end)."""

    data_year: int
    start: dt.datetime
    end: dt.datetime


Collector = Callable[[Window, tuple[IndicatorRule, ...]], Values]


@dataclass(frozen=True)
class IndicatorSource:
    code: str
    label: str
    collect: Collector
    default: Value = None  # the value of an enterprise the source has no row for


class UnknownSourceError(LookupError):
    pass


_REGISTRY: dict[str, IndicatorSource] = {}


def register(source: IndicatorSource) -> None:
    _REGISTRY[source.code] = source


def get_source(code: str) -> IndicatorSource:
    if code not in _REGISTRY:
        raise UnknownSourceError(f"指标来源“{code}”未注册")
    return _REGISTRY[code]


def registered() -> dict[str, IndicatorSource]:
    return dict(_REGISTRY)


def collect_all(window: Window, rules: Iterable[IndicatorRule]) -> tuple[Values, dict[str, Value]]:
    """Every source's values merged per enterprise, and each indicator's default value."""
    by_source: dict[str, list[IndicatorRule]] = defaultdict(list)
    for rule in rules:
        by_source[rule.data].append(rule)
    merged: Values = defaultdict(dict)
    defaults: dict[str, Value] = {}
    for code, group in by_source.items():
        source = get_source(code)
        for enterprise_id, values in source.collect(window, tuple(group)).items():
            merged[enterprise_id].update(values)
        defaults.update(dict.fromkeys((r.code for r in group), source.default))
    return merged, defaults


# --- built-in sources ------------------------------------------------------------------------------

IMPORTED_FIELDS = ("credit_rating", "tax_rating", "high_tech", "employees", "tax_paid", "safety_incidents")


def _imported_value(field: str, raw: Any) -> Value:
    if raw is None or raw == "":
        return None
    if field == "high_tech":
        return "yes" if raw else "no"
    return float(raw) if field == "tax_paid" else raw  # type: ignore[no-any-return]


def collect_imported(window: Window, rules: tuple[IndicatorRule, ...]) -> Values:
    from qijian.grading.models import IndicatorValue

    fields = [r.code for r in rules]
    unknown = set(fields) - set(IMPORTED_FIELDS)
    if unknown:
        raise UnknownSourceError(f"导入数据中没有指标:{'、'.join(sorted(unknown))}")
    rows = IndicatorValue.objects.filter(year__lte=window.data_year).order_by("enterprise_id", "-year")
    out: Values = {}
    for row in rows.values("enterprise_id", *fields).iterator(chunk_size=5000):
        enterprise_id = row.pop("enterprise_id")
        if enterprise_id not in out:  # the latest year comes first
            out[enterprise_id] = {f: _imported_value(f, v) for f, v in row.items()}
    return out


# Check-in results counted by the ``checkins`` indicators.
CHECKIN_RESULTS = {"inspection_problems": "problems", "cases_opened": "case_opened"}


def collect_checkins(window: Window, rules: tuple[IndicatorRule, ...]) -> Values:
    from qijian.checkins.models import CheckIn

    wanted = {CHECKIN_RESULTS[r.code]: r.code for r in rules}
    rows = (
        CheckIn.objects.filter(scanned_at__gte=window.start, scanned_at__lt=window.end, result__in=list(wanted))
        .values("enterprise_id", "result")
        .annotate(n=Count("id"))
    )
    out: Values = defaultdict(dict)
    for row in rows:
        out[row["enterprise_id"]][wanted[row["result"]]] = row["n"]
    return out


def collect_filings(window: Window, rules: tuple[IndicatorRule, ...]) -> Values:
    from qijian.inspections.models import Filing

    out: Values = defaultdict(dict)
    through = Filing.enterprises.through
    for rule in rules:
        reasons = list(figure(f"grading.indicators.{rule.code}.reasons"))
        rows = (
            through.objects.filter(
                filing__urgent_reason__in=reasons,
                filing__status="active",
                filing__window_start__gte=window.start,
                filing__window_start__lt=window.end,
            )
            .values("enterprise_id")
            .annotate(n=Count("filing_id", distinct=True))
        )
        for row in rows:
            out[row["enterprise_id"]][rule.code] = row["n"]
    return out


def collect_alerts(window: Window, rules: tuple[IndicatorRule, ...]) -> Values:
    from qijian.oversight.models import Alert

    out: Values = defaultdict(dict)
    for rule in rules:
        names = list(figure(f"grading.indicators.{rule.code}.rules"))
        rows = (
            Alert.objects.filter(rule__in=names, raised_at__gte=window.start, raised_at__lt=window.end)
            .exclude(enterprise=None)
            .values("enterprise_id")
            .annotate(n=Count("id"))
        )
        for row in rows:
            out[row["enterprise_id"]][rule.code] = row["n"]
    return out


register(IndicatorSource("imported", "外部导入数据", collect_imported, default=None))
register(IndicatorSource("checkins", "入企检查结果", collect_checkins, default=0))
register(IndicatorSource("filings", "检查报备事由", collect_filings, default=0))
register(IndicatorSource("alerts", "监督预警", collect_alerts, default=0))
