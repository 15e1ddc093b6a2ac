"""The pure score: truth tables on the county's policy, and properties (monotone, bounded, thresholds)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qijian.grading import scoring
from qijian.grading.scoring import IndicatorRule, ScoringPolicy, ScoringPolicyError
from qijian.grading.services import scoring_policy

POLICY = scoring_policy()
RULES = {r.code: r for r in POLICY.indicators}

# A model enterprise: every indicator at its best.
BEST: dict[str, scoring.Value] = {
    "credit_rating": "A",
    "tax_rating": "A",
    "inspection_problems": 0,
    "cases_opened": 0,
    "safety_incidents": 0,
    "complaint_inspections": 0,
    "high_tech": "yes",
    "employees": 500,
    "tax_paid": 800.0,
}
TYPICAL = BEST | {"credit_rating": "B", "tax_rating": "B", "high_tech": "no", "employees": 20, "tax_paid": 30.0}


def test_the_best_enterprise_scores_100_and_is_grade_a() -> None:
    result = scoring.grade(BEST, POLICY)
    assert (result.score, result.band, result.grade) == (100.0, "A", "A")
    assert result.movers() == ()


@pytest.mark.parametrize(
    ("changes", "grade", "capped_by"),
    [
        ({}, "B", ()),  # typical: 75.3 points
        ({"credit_rating": "A", "tax_rating": "A", "employees": 60, "tax_paid": 150.0}, "A", ()),
        ({"credit_rating": "D"}, "C", ("credit_rating",)),  # 失信: C whatever the score
        ({"tax_rating": "D"}, "C", ("tax_rating",)),
        ({"safety_incidents": 2}, "C", ()),  # 21 points lost: the score alone is below 60
        (
            {"credit_rating": "A", "tax_rating": "A", "high_tech": "yes", "safety_incidents": 2},
            "C",
            ("safety_incidents",),
        ),
        ({"credit_rating": "A", "tax_rating": "A", "high_tech": "yes", "safety_incidents": 1}, "B", ()),
        ({"credit_rating": "C", "tax_rating": "M", "inspection_problems": 2, "employees": 3, "tax_paid": 1.0}, "C", ()),
    ],
)
def test_truth_table_of_grades(changes: dict[str, scoring.Value], grade: str, capped_by: tuple[str, ...]) -> None:
    result = scoring.grade(TYPICAL | changes, POLICY)
    assert result.grade == grade
    assert result.capped_by == capped_by


def test_a_case_opened_keeps_an_otherwise_perfect_enterprise_out_of_grade_a() -> None:
    result = scoring.grade(BEST | {"cases_opened": 1}, POLICY)
    assert result.band == "A" and result.grade == "B" and result.capped_by == ("cases_opened",)
    assert result.movers()[0].code == "cases_opened"


def test_an_enterprise_without_imported_data_gets_the_missing_subscore_and_grade_b() -> None:
    held = {"inspection_problems": 0, "cases_opened": 0, "complaint_inspections": 0}
    result = scoring.grade(held, POLICY)
    no_data = [c for c in result.contributions if c.value is None]
    assert {c.subscore for c in no_data} == {POLICY.missing} and len(no_data) == 6
    assert result.grade == "B"


def test_explanation_points_add_up_to_the_score_and_lost_points_to_the_rest() -> None:
    result = scoring.grade(TYPICAL, POLICY)
    assert sum(c.points for c in result.contributions) == pytest.approx(result.score, abs=0.05)
    assert sum(c.lost for c in result.contributions) == pytest.approx(100 - result.score, abs=0.05)
    assert result.movers()[0].code == "high_tech"  # the largest loss comes first


@pytest.mark.parametrize(("score", "band"), [(100, "A"), (85, "A"), (84.99, "B"), (60, "B"), (59.99, "C"), (0, "C")])
def test_thresholds_are_inclusive_lower_bounds(score: float, band: str) -> None:
    assert scoring.band_of(score, POLICY) == band


# --- properties ------------------------------------------------------------------------------------


def _level_values(rule: IndicatorRule) -> st.SearchStrategy[scoring.Value]:
    return st.sampled_from([name for name, _ in rule.levels])


def _value(rule: IndicatorRule) -> st.SearchStrategy[scoring.Value]:
    if rule.kind == "level":
        return _level_values(rule)
    if rule.kind == "count":
        return st.integers(min_value=0, max_value=20)
    return st.floats(min_value=0, max_value=2000, allow_nan=False)


VALUES = st.fixed_dictionaries({code: st.one_of(st.none(), _value(rule)) for code, rule in RULES.items()})


def _better(rule: IndicatorRule, value: scoring.Value, draw: st.DrawFn) -> scoring.Value:
    """A value at least as good as ``value`` for this rule."""
    if rule.kind == "level":
        names = [name for name, _ in rule.levels]
        return draw(st.sampled_from(names[: names.index(str(value)) + 1]))
    if rule.kind == "count":
        return draw(st.integers(min_value=0, max_value=int(value)))  # type: ignore[arg-type]
    return float(value) + draw(st.floats(min_value=0, max_value=1000, allow_nan=False))  # type: ignore[arg-type]


@st.composite
def improvements(draw: st.DrawFn) -> tuple[dict[str, scoring.Value], dict[str, scoring.Value]]:
    values = draw(VALUES)
    code = draw(st.sampled_from(sorted(c for c, v in values.items() if v is not None) or ["employees"]))
    values.setdefault(code, 0)
    if values[code] is None:
        values[code] = draw(_value(RULES[code]))
    return values, values | {code: _better(RULES[code], values[code], draw)}


@settings(max_examples=300, deadline=None)
@given(improvements())
def test_a_better_indicator_never_lowers_the_score_or_the_grade(
    pair: tuple[dict[str, scoring.Value], dict[str, scoring.Value]],
) -> None:
    worse, better = (scoring.grade(v, POLICY) for v in pair)
    assert better.score >= worse.score
    assert scoring.GRADES.index(better.grade) <= scoring.GRADES.index(worse.grade)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_score_is_bounded_and_grade_never_better_than_its_band(values: dict[str, scoring.Value]) -> None:
    result = scoring.grade(values, POLICY)
    assert 0 <= result.score <= 100
    assert all(0 <= c.subscore <= 1 and c.lost >= -0.01 for c in result.contributions)
    assert scoring.GRADES.index(result.grade) >= scoring.GRADES.index(result.band)
    assert result.band == scoring.band_of(result.score, POLICY)


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_bands_are_monotone_in_the_score(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert scoring.GRADES.index(scoring.band_of(high, POLICY)) <= scoring.GRADES.index(scoring.band_of(low, POLICY))


# --- policy validation -----------------------------------------------------------------------------


def _with_rule(code: str, **changes: Any) -> ScoringPolicy:
    rules = tuple(dataclasses.replace(r, **changes) if r.code == code else r for r in POLICY.indicators)
    return dataclasses.replace(POLICY, indicators=rules)


@pytest.mark.parametrize(
    "policy",
    [
        dataclasses.replace(POLICY, groups={**POLICY.groups, "lawful": 0.5}),  # groups do not add up
        dataclasses.replace(POLICY, a_min=50, b_min=60),  # thresholds crossed
        _with_rule("credit_rating", weight=0.9),  # group weights do not add up
        _with_rule("credit_rating", levels=(("A", 0.5), ("B", 0.8))),  # a worse level scores better
        _with_rule("credit_rating", caps=(("B", "C"), ("D", "B"))),  # a worse level has a better cap
        _with_rule("employees", steps=((10, 0.5), (0, 0.2))),  # steps not ascending
        _with_rule("safety_incidents", caps=(("x", "C"),)),
    ],
)
def test_inconsistent_policies_are_refused(policy: ScoringPolicy) -> None:
    with pytest.raises(ScoringPolicyError):
        scoring.check_policy(policy)
