"""The indicator source registry: a new source (e.g. complaints, issue 7) plugs in without touching grading."""

from __future__ import annotations

import datetime as dt

import pytest

from qijian.core.testing import County
from qijian.grading import sources
from qijian.grading.scoring import IndicatorRule
from qijian.oversight.rules import Finding
from qijian.oversight.services import raise_alert

pytestmark = pytest.mark.django_db
NOW = dt.datetime.now(dt.UTC)
# Ends a day after import: a long test session must not push the alerts raised by a test out of the window.
WINDOW = sources.Window(2026, NOW - dt.timedelta(days=365), NOW + dt.timedelta(days=1))


def rule(code: str, data: str) -> IndicatorRule:
    return IndicatorRule(code=code, label=code, group="risk", data=data, weight=1.0, kind="count", per_unit=0.5)


def test_a_registered_source_is_collected_with_its_default(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "_REGISTRY", dict(sources.registered()))
    fake = sources.IndicatorSource(
        "complaints_test", "投诉", lambda window, rules: {county.enterprise.pk: {"complaints": 2}}, default=0
    )
    sources.register(fake)
    values, defaults = sources.collect_all(WINDOW, [rule("complaints", "complaints_test")])
    assert values[county.enterprise.pk] == {"complaints": 2} and defaults == {"complaints": 0}


def test_an_unknown_source_is_refused(county: County) -> None:
    with pytest.raises(sources.UnknownSourceError, match="未注册"):
        sources.collect_all(WINDOW, [rule("x", "nowhere")])


def test_the_alerts_source_counts_the_rules_an_indicator_names(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "figure", lambda path: ["R06"])
    for n, name in enumerate(("R06", "R06", "R01")):
        raise_alert(
            finding=Finding(rule=name, severity="warning", message="预警"),
            key=f"grading-test:{n}",
            enterprise=county.enterprise,
        )
    values = sources.collect_alerts(WINDOW, (rule("risk_warnings", "alerts"),))
    assert values == {county.enterprise.pk: {"risk_warnings": 2}}


def test_the_filings_source_counts_active_complaint_filings(county: County) -> None:
    from tests.oversight.factories import make_filing

    day = (NOW - dt.timedelta(days=30)).date()
    make_filing(county, day=day, urgent_reason="complaint")
    make_filing(county, day=day, urgent_reason="complaint", status="cancelled")
    make_filing(county, day=day, urgent_reason="emergency")
    values = sources.collect_filings(WINDOW, (rule("complaint_inspections", "filings"),))
    assert values == {county.enterprise.pk: {"complaint_inspections": 1}}
