"""What an applied grade changes: R07 for grade A, the yearly cap, and the C list (重点监管)."""

from __future__ import annotations

import datetime as dt

import pytest

from qijian.core.testing import County
from qijian.grading import queries
from qijian.oversight import checks
from tests.grading.factories import in_force
from tests.oversight.factories import make_filing

pytestmark = pytest.mark.django_db
JAN = dt.date(2027, 1, 10)


def test_r07_fires_for_an_enterprise_the_applied_list_made_grade_a(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_force(county, monkeypatch)
    county.enterprise.refresh_from_db()
    planned = make_filing(county, day=JAN)
    assert [a.rule for a in checks.after_filing(planned) if a.rule == "R07"] == ["R07"]
    complaint = make_filing(county, day=JAN + dt.timedelta(days=70), urgent_reason="complaint")
    assert not [a for a in checks.after_filing(complaint) if a.rule == "R07"]


def test_r07_is_silent_for_the_grade_c_enterprise(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    in_force(county, monkeypatch)
    filing = make_filing(county, day=JAN, enterprises=[county.other_enterprise])
    assert not [a for a in checks.after_filing(filing) if a.rule == "R07"]


def test_the_c_list_names_the_in_force_c_enterprises(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    in_force(county, monkeypatch)
    rows = queries.focus_entries(county.user("supervisor"))
    assert [e.enterprise for e in rows] == [county.other_enterprise]
    assert not queries.focus_entries(county.user("enterprise")).exists()


def test_no_c_list_before_a_list_is_in_force(county: County) -> None:
    assert not queries.focus_entries(county.user("office")).exists()
