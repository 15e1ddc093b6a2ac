"""after_filing: each rule from real filings in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.org.models import Department
from qijian.oversight import checks
from qijian.oversight.models import Alert
from tests.oversight.factories import make_filing

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 10)


def rules_of(alerts: list[Alert]) -> list[str]:
    return sorted(a.rule for a in alerts)


def far_apart(county: County, count: int, **kw: Any) -> list[Any]:
    """``count`` filings 70 days apart (outside the repeat window), the last one returned last."""
    return [make_filing(county, day=JAN + dt.timedelta(days=70 * n), **kw) for n in range(count)]


def set_grade(enterprise: Enterprise, grade: str) -> None:
    Enterprise.objects.filter(pk=enterprise.pk).update(grade=grade)
    enterprise.refresh_from_db()


# --- R05 -------------------------------------------------------------------------------------------


def test_r05_cap_exactly_reached_raises_nothing(county: County) -> None:
    *_, last = far_apart(county, 2)  # grade B: cap 2
    assert checks.after_filing(last) == []


def test_r05_exceeding_the_grade_cap_raises_a_warning_with_a_stable_key(county: County) -> None:
    *_, last = far_apart(county, 3)
    [alert] = checks.after_filing(last)
    assert (alert.rule, alert.severity) == ("R05", "warning")
    assert alert.dedup_key == f"R05:filing:{last.pk}:enterprise:{county.enterprise.pk}"
    assert alert.facts == {"prior": 2, "cap": 2}
    assert (alert.department, alert.enterprise, alert.filing) == (county.dept, county.enterprise, last)


def test_r05_block_mode_raises_a_block(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    real = checks.figure
    monkeypatch.setattr(checks, "figure", lambda name: "block" if name == "frequency_cap.mode" else real(name))
    *_, last = far_apart(county, 3)
    assert [a.severity for a in checks.after_filing(last)] == ["block"]


def test_r05_cause_driven_filings_neither_count_nor_trip(county: County) -> None:
    far_apart(county, 2, urgent_reason="complaint")
    make_filing(county, day=JAN + dt.timedelta(days=150))
    assert checks.check_yearly_cap(make_filing(county, day=JAN + dt.timedelta(days=220)), county.enterprise) is None
    *_, urgent = far_apart(county, 1, urgent_reason="emergency")
    assert checks.check_yearly_cap(urgent, county.enterprise) is None


def test_r05_counts_only_this_department_this_year_on_site_and_active(county: County) -> None:
    make_filing(county, day=dt.date(2025, 12, 1))  # last year
    make_filing(county, day=JAN, department=county.other_dept)  # another department
    make_filing(county, day=JAN + dt.timedelta(days=70), method="remote")
    make_filing(county, day=JAN + dt.timedelta(days=140), status="cancelled")
    make_filing(county, day=JAN + dt.timedelta(days=210))
    last = make_filing(county, day=JAN + dt.timedelta(days=280))
    assert checks.check_yearly_cap(last, county.enterprise) is None


def test_r05_grade_a_cap_is_one(county: County) -> None:
    set_grade(county.enterprise, "A")
    *_, last = far_apart(county, 2, urgent_reason="statutory")  # statutory is not cause-driven for R05
    finding = checks.check_yearly_cap(last, county.enterprise)
    assert finding is not None and finding.facts == {"prior": 1, "cap": 1}


# --- R06 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("gap", "fires"), [(59, True), (60, False), (0, True)])
def test_r06_another_department_within_sixty_days(county: County, gap: int, fires: bool) -> None:
    make_filing(county, day=JAN, department=county.other_dept)
    this = make_filing(county, day=JAN + dt.timedelta(days=gap))
    assert ("R06" in rules_of(checks.after_filing(this))) is fires


@pytest.mark.parametrize(
    ("earlier", "this"),
    [
        ({"joint": True}, {}),
        ({}, {"joint": True}),
        ({"method": "remote"}, {}),
        ({}, {"method": "remote"}),
        ({"status": "cancelled"}, {}),
    ],
)
def test_r06_joint_remote_or_cancelled_visits_are_not_repeats(
    county: County, earlier: dict[str, Any], this: dict[str, Any]
) -> None:
    make_filing(county, day=JAN, department=county.other_dept, **earlier)
    filing = make_filing(county, day=JAN + dt.timedelta(days=10), **this)
    assert checks.check_repeat(filing, county.enterprise) is None


def test_r06_names_the_other_filing(county: County) -> None:
    other = make_filing(county, day=JAN, department=county.other_dept)
    this = make_filing(county, day=JAN + dt.timedelta(days=20))
    finding = checks.check_repeat(this, county.enterprise)
    assert finding is not None and finding.facts == {"other_visit": other.number, "gap_days": 20}


def test_r06_an_acceptance_visit_is_not_a_repeat_of_its_superior_inspection(county: County) -> None:
    superior = make_filing(county, day=JAN)
    visit = make_filing(county, day=JAN + dt.timedelta(days=10), acceptance_of=superior)
    assert checks.check_repeat(visit, county.enterprise) is None


# --- R07 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "method", "mode", "fires"),
    [
        ("", "onsite", "targeted", True),  # planned targeted: not an allowed reason
        ("media", "onsite", "targeted", True),
        ("emergency", "onsite", "targeted", True),
        ("complaint", "onsite", "targeted", False),
        ("statutory", "onsite", "targeted", False),
        ("superior_order", "onsite", "targeted", False),  # 转办交办
        ("", "remote", "targeted", False),
        ("", "onsite", "random", False),  # random sampling of A is governed by ratios
    ],
)
def test_r07_grade_a_onsite_reason(county: County, reason: str, method: str, mode: str, fires: bool) -> None:
    set_grade(county.enterprise, "A")
    filing = make_filing(county, day=JAN, urgent_reason=reason, method=method, mode=mode)
    alerts = [a for a in checks.after_filing(filing) if a.rule == "R07"]
    assert bool(alerts) is fires
    if fires:
        assert alerts[0].facts["reason"] == checks.r07_reason(filing)


def test_r07_grade_b_is_not_concerned(county: County) -> None:
    assert checks.check_grade_a(make_filing(county, day=JAN), county.enterprise) is None


# --- R08 -------------------------------------------------------------------------------------------


def test_r08_the_second_acceptance_visit_after_one_superior_inspection(county: County) -> None:
    superior = make_filing(county, day=JAN)
    first = make_filing(county, day=JAN + dt.timedelta(days=70), acceptance_of=superior)
    assert "R08" not in rules_of(checks.after_filing(first))
    second = make_filing(county, day=JAN + dt.timedelta(days=140), acceptance_of=superior)
    [alert] = [a for a in checks.after_filing(second) if a.rule == "R08"]
    assert alert.facts == {"visits": 2}


def test_r08_visits_are_counted_per_superior_filing(county: County) -> None:
    one, two = make_filing(county, day=JAN), make_filing(county, day=JAN + dt.timedelta(days=1))
    make_filing(county, day=JAN + dt.timedelta(days=70), acceptance_of=one)
    visit = make_filing(county, day=JAN + dt.timedelta(days=140), acceptance_of=two)
    assert checks.check_acceptance(visit) is None


# --- R09 -------------------------------------------------------------------------------------------


@pytest.fixture
def township_dept(county: County) -> Department:
    return Department.objects.create(name="旧州镇综合执法队", code="XZ-ZF", level="township", region=county.township)


@pytest.mark.parametrize(("gap", "fires"), [(89, True), (90, False)])
def test_r09_county_and_township_within_the_window(
    county: County, township_dept: Department, gap: int, fires: bool
) -> None:
    make_filing(county, day=JAN)
    this = make_filing(county, day=JAN + dt.timedelta(days=gap), department=township_dept)
    assert ("R09" in rules_of(checks.after_filing(this))) is fires


@pytest.mark.parametrize("who_lists", ["this", "other"])
def test_r09_coordinated_when_one_lists_the_other_as_partner(
    county: County, township_dept: Department, who_lists: str
) -> None:
    other = make_filing(county, day=JAN)
    this = make_filing(county, day=JAN + dt.timedelta(days=70), department=township_dept)
    (this if who_lists == "this" else other).partners.set([county.dept if who_lists == "this" else township_dept])
    assert checks.check_multi_level(this, county.enterprise) is None


def test_r09_two_county_departments_are_not_multi_level(county: County) -> None:
    make_filing(county, day=JAN, department=county.other_dept)
    assert checks.check_multi_level(make_filing(county, day=JAN + dt.timedelta(days=70)), county.enterprise) is None


# --- the whole ------------------------------------------------------------------------------------


def test_after_filing_runs_per_enterprise_and_never_raises_twice(county: County) -> None:
    both = [county.enterprise, county.other_enterprise]
    make_filing(county, day=JAN, department=county.other_dept, enterprises=both)
    this = make_filing(county, day=JAN + dt.timedelta(days=5), enterprises=both)
    first = checks.after_filing(this)
    assert sorted((a.rule, a.enterprise_id) for a in first) == sorted(
        [("R06", county.enterprise.pk), ("R06", county.other_enterprise.pk)]
    )
    assert checks.after_filing(this) == []
    assert Alert.objects.count() == 2


def test_after_filing_ignores_a_filing_that_is_not_active(county: County) -> None:
    make_filing(county, day=JAN, department=county.other_dept)
    cancelled = make_filing(county, day=JAN + dt.timedelta(days=5), status="cancelled")
    assert checks.after_filing(cancelled) == []


def test_after_filing_tells_the_office_in_the_app(county: County) -> None:
    make_filing(county, day=JAN, department=county.other_dept)
    [alert] = checks.after_filing(make_filing(county, day=JAN + dt.timedelta(days=5)))
    note = county.user("office").notifications.get()
    assert alert.rule in note.title and note.link.endswith(f"/oversight/{alert.pk}/")
