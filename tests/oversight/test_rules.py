"""Truth tables of the pure oversight rules (R02–R09, R11), one per rule, plus properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qijian.oversight import rules
from qijian.oversight.rules import RULES, Finding, InspectorFact, LevelVisitFact, VisitFact

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
D0 = dt.date(2026, 3, 2)
ALLOWED_A = frozenset({"complaint", "data_detected", "transferred", "statutory"})


def assert_fires(finding: Finding | None, rule: str, severity: str | None = None) -> None:
    assert finding is not None
    assert finding.rule == rule
    assert finding.severity == (severity or RULES[rule].severity)
    assert finding.source == RULES[rule].source


def check(finding: Finding | None, fires: bool, rule: str, severity: str | None = None) -> None:
    if fires:
        assert_fires(finding, rule, severity)
    else:
        assert finding is None


# --- R02 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filed_offset", "fires"),
    [
        (dt.timedelta(hours=-1), False),
        (dt.timedelta(0), False),
        (dt.timedelta(minutes=1), True),
        (dt.timedelta(days=1), True),
    ],
)
def test_r02_a_filing_after_the_start_is_late(filed_offset: dt.timedelta, fires: bool) -> None:
    """R02 需在开展检查的同时向联席会议办公室备案……不允许事后报备(法律法规另有规定的除外)。"""
    check(rules.late_filing(filed_at=T0 + filed_offset, started_at=T0), fires, "R02", rules.CRITICAL)


def test_r02_reports_the_minutes_late() -> None:
    """R02 需在开展检查的同时向联席会议办公室备案……不允许事后报备。"""
    finding = rules.late_filing(filed_at=T0 + dt.timedelta(minutes=90), started_at=T0)
    assert finding is not None and finding.facts["minutes_late"] == 90


# --- R03 -------------------------------------------------------------------------------------------

A = InspectorFact("A1", True)
B = InspectorFact("B2", True)
X = InspectorFact("X9", False)


@pytest.mark.parametrize(
    ("method", "inspectors", "fires"),
    [
        ("onsite", [A, B], False),  # exactly two certified
        ("onsite", [A, B, X], False),
        ("onsite", [A], True),  # one
        ("onsite", [A, X], True),  # an uncertified one does not count
        ("onsite", [A, A], True),  # the same certificate twice is one inspector
        ("onsite", [], True),
        ("remote", [A], False),  # remote method: no minimum
        ("remote", [], False),
    ],
)
def test_r03_onsite_needs_two_distinct_certified_inspectors(
    method: str, inspectors: list[InspectorFact], fires: bool
) -> None:
    """R03 现场检查人员是否不少于两人(附件3 第3题;《行政处罚法》第四十二条)"""
    check(rules.too_few_inspectors(method=method, inspectors=inspectors, minimum=2), fires, "R03", rules.BLOCK)


def test_r03_lists_the_uncertified() -> None:
    """R03 现场检查人员是否不少于两人。"""
    finding = rules.too_few_inspectors(method="onsite", inspectors=[A, X], minimum=2)
    assert finding is not None and finding.facts == {"certified": ["A1"], "uncertified": ["X9"]}


@given(
    st.lists(st.tuples(st.sampled_from(["c1", "c2", "c3", "c4"]), st.booleans()), max_size=8),
    st.integers(min_value=1, max_value=4),
)
def test_r03_never_fires_with_the_minimum_of_distinct_certified(pairs: list[tuple[str, bool]], minimum: int) -> None:
    """R03 现场检查人员是否不少于两人: fires exactly when distinct certified certificates < minimum."""
    inspectors = [InspectorFact(no, ok) for no, ok in pairs]
    distinct = len({no for no, ok in pairs if ok})
    finding = rules.too_few_inspectors(method="onsite", inspectors=inspectors, minimum=minimum)
    assert (finding is None) == (distinct >= minimum)


# --- R04 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "fires"), [("YJ-001", False), ("YJ-999", True), ("", True)])
def test_r04_item_must_be_on_the_effective_catalog(code: str, fires: bool) -> None:
    """R04 联席会……负责按上级要求调整我县本年度非“双随机”涉企执法检查事项清单,审定执法检查计划"""
    finding = rules.item_not_in_catalog(item_code=code, effective_codes=frozenset({"YJ-001", "YJ-002"}))
    check(finding, fires, "R04", rules.BLOCK)


# --- R05 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prior", "cause_driven", "cap", "mode", "fires", "severity"),
    [
        (0, False, 1, "warning", False, None),  # the first visit of a grade-A enterprise: cap exactly reached
        (1, False, 1, "warning", True, rules.WARNING),  # exceeded
        (1, False, 2, "warning", False, None),  # grade B: cap reached
        (2, False, 2, "warning", True, rules.WARNING),
        (2, False, 2, "block", True, rules.BLOCK),  # policy mode "block"
        (5, True, 1, "block", False, None),  # cause-driven never trips the cap
        (3, False, 4, "block", False, None),
    ],
)
def test_r05_yearly_cap(prior: int, cause_driven: bool, cap: int, mode: str, fires: bool, severity: str | None) -> None:
    """R05 通过分级分类监管、多层级联合执法检查、“无感”执法检查等方式,压减非“双随机”入企检查频次。"""
    finding = rules.over_yearly_cap(prior_counted=prior, cause_driven=cause_driven, cap=cap, mode=mode)
    check(finding, fires, "R05", severity)


# --- R06 -------------------------------------------------------------------------------------------


def visit(vid: str, days: int, joint: bool = False) -> VisitFact:
    return VisitFact(visit_id=vid, day=D0 + dt.timedelta(days=days), joint=joint)


@pytest.mark.parametrize(
    ("this", "previous", "fires"),
    [
        (visit("B", 59), [visit("A", 0)], True),  # 59 days apart
        (visit("B", 60), [visit("A", 0)], False),  # 60 days apart: outside the window
        (visit("B", 0), [visit("A", 0)], True),  # the same day
        (visit("B", -59), [visit("A", 0)], True),  # an earlier visit filed later
        (visit("B", 10, joint=True), [visit("A", 0)], False),  # this one is joint
        (visit("B", 10), [visit("A", 0, joint=True)], False),  # the other one is joint
        (visit("A", 10), [visit("A", 0)], False),  # the same (joint) visit id
        (visit("B", 10), [], False),
    ],
)
def test_r06_repeat_within_sixty_days(this: VisitFact, previous: list[VisitFact], fires: bool) -> None:
    """R06 防止随意执法、选择性执法、重复执法、频繁检查等行为发生"""
    check(rules.repeat_within_window(this=this, previous=previous, window_days=60), fires, "R06", rules.WARNING)


def test_r06_names_the_nearest_other_visit() -> None:
    """R06 防止随意执法、选择性执法、重复执法、频繁检查等行为发生"""
    finding = rules.repeat_within_window(this=visit("C", 30), previous=[visit("A", 0), visit("B", 20)], window_days=60)
    assert finding is not None and finding.facts == {"other_visit": "B", "gap_days": 10}


visits = st.builds(
    VisitFact,
    visit_id=st.sampled_from(["A", "B", "C"]),
    day=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31)),
    joint=st.booleans(),
)


@given(visits, visits, st.integers(min_value=1, max_value=120))
def test_r06_is_symmetric_in_order(a: VisitFact, b: VisitFact, window: int) -> None:
    """R06 防止……重复执法: whichever of two visits is filed second, the verdict is the same."""
    first = rules.repeat_within_window(this=a, previous=[b], window_days=window)
    second = rules.repeat_within_window(this=b, previous=[a], window_days=window)
    assert (first is None) == (second is None)


# --- R07 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "method", "reason", "fires"),
    [
        ("A", "onsite", "planned", True),
        ("A", "onsite", "media", True),
        ("A", "onsite", "emergency", True),
        ("A", "onsite", "complaint", False),
        ("A", "onsite", "transferred", False),
        ("A", "onsite", "statutory", False),
        ("A", "onsite", "data_detected", False),
        ("A", "remote", "planned", False),  # remote inspection of A is encouraged
        ("B", "onsite", "planned", False),
        ("C", "onsite", "media", False),
    ],
)
def test_r07_grade_a_onsite_needs_an_allowed_reason(grade: str, method: str, reason: str, fires: bool) -> None:
    """R07 对A类企业……除投诉举报、大数据监测发现问题、转办交办案件线索及法律、法规另有规定外,
    根据实际情况一般不实施现场检查"""
    finding = rules.grade_a_onsite(grade=grade, method=method, reason=reason, allowed=ALLOWED_A)
    check(finding, fires, "R07", rules.WARNING)


# --- R08 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "filed", "fires"),
    [(True, False, True), (True, True, False), (False, False, False), (False, True, False)],
)
def test_r08_superior_inspection_needs_a_counterpart_filing(started: bool, filed: bool, fires: bool) -> None:
    """R08 国家、省、市等上级部门来沧县开展涉企执法检查的,县级对口部门按要求备案……"""
    check(rules.superior_without_counterpart(started=started, counterpart_filed=filed), fires, "R08")


@pytest.mark.parametrize(("visits", "fires"), [(0, False), (1, False), (2, True), (3, True)])
def test_r08_at_most_one_acceptance_visit(visits: int, fires: bool) -> None:
    """R08 上级部门执法检查后需入企勘察验收的,原则上最多再去一次。"""
    check(rules.too_many_acceptance_visits(visits=visits, maximum=1), fires, "R08", rules.WARNING)


# --- R09 -------------------------------------------------------------------------------------------


def lv(vid: str, level: str, days: int, coordinated: frozenset[str] = frozenset()) -> LevelVisitFact:
    return LevelVisitFact(visit_id=vid, level=level, day=D0 + dt.timedelta(days=days), coordinated_with=coordinated)


@pytest.mark.parametrize(
    ("this", "others", "fires"),
    [
        (lv("T", "township", 89), [lv("C", "county", 0)], True),  # within the 90-day window
        (lv("T", "township", 90), [lv("C", "county", 0)], False),  # outside
        (lv("T", "township", 5), [lv("C", "county", 0)], True),
        (lv("C2", "county", 5), [lv("C", "county", 0)], False),  # same level: not multi-level
        (lv("T", "township", 5, frozenset({"C"})), [lv("C", "county", 0)], False),  # coordinated (this lists it)
        (lv("T", "township", 5), [lv("C", "county", 0, frozenset({"T"}))], False),  # coordinated (it lists this)
        (lv("T", "township", 5), [], False),
    ],
)
def test_r09_county_and_township_separately(this: LevelVisitFact, others: list[LevelVisitFact], fires: bool) -> None:
    """R09 未向县发改部门备案的,不得对同一企业开展多层级分头执法。"""
    check(rules.multi_level_separate(this=this, others=others, window_days=90), fires, "R09", rules.WARNING)


level_visits = st.builds(
    LevelVisitFact,
    visit_id=st.sampled_from(["A", "B", "C"]),
    level=st.sampled_from(["county", "township"]),
    day=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31)),
    coordinated_with=st.frozensets(st.sampled_from(["A", "B", "C"]), max_size=2),
)


@given(level_visits, level_visits, st.integers(min_value=1, max_value=180))
def test_r09_is_symmetric_in_order(a: LevelVisitFact, b: LevelVisitFact, window: int) -> None:
    """R09 未向县发改部门备案的,不得对同一企业开展多层级分头执法: the verdict does not depend on which came first."""
    first = rules.multi_level_separate(this=a, others=[b], window_days=window)
    second = rules.multi_level_separate(this=b, others=[a], window_days=window)
    assert (first is None) == (second is None)


@given(st.integers(min_value=0, max_value=10), st.integers(min_value=1, max_value=6))
def test_r05_fires_exactly_when_the_cap_is_exceeded(prior: int, cap: int) -> None:
    """R05 压减非“双随机”入企检查频次: this visit trips the cap iff prior + 1 > cap."""
    finding = rules.over_yearly_cap(prior_counted=prior, cause_driven=False, cap=cap, mode="warning")
    assert (finding is not None) == (prior + 1 > cap)


# --- R11 -------------------------------------------------------------------------------------------

CLOSES = dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("today", "submitted", "fires"),
    [
        (CLOSES, None, False),  # the close day itself: still in time
        (CLOSES + dt.timedelta(days=1), None, True),  # the day after
        (CLOSES - dt.timedelta(days=3), None, False),
        (CLOSES + dt.timedelta(days=1), CLOSES, False),  # submitted on the close day
        (CLOSES + dt.timedelta(days=9), CLOSES - dt.timedelta(days=5), False),
        (CLOSES + dt.timedelta(days=2), CLOSES + dt.timedelta(days=2), True),  # late submission
        (CLOSES, CLOSES + dt.timedelta(days=1), True),  # late, whatever "today" says
    ],
)
def test_r11_plan_or_report_in_its_window(today: dt.date, submitted: dt.date | None, fires: bool) -> None:
    """R11 由牵头部门于每季度最后两周将下季度检查计划及本季度检查完成情况分别报送……
    并于每季度首月15日前向联席会议办公室报送工作情况。"""
    finding = rules.not_submitted_in_window(what="计划", closes=CLOSES, today=today, submitted_on=submitted)
    check(finding, fires, "R11", rules.OVERDUE)


def test_r11_late_submission_records_both_dates() -> None:
    """R11 由牵头部门于每季度最后两周将下季度检查计划……分别报送。"""
    finding = rules.not_submitted_in_window(
        what="计划", closes=CLOSES, today=CLOSES, submitted_on=CLOSES + dt.timedelta(days=1)
    )
    assert finding is not None and finding.facts == {"closes": "2026-03-31", "submitted": "2026-04-01"}


@given(st.dates(), st.dates(), st.one_of(st.none(), st.dates()))
def test_r11_submission_on_or_before_close_never_fires(
    closes: dt.date, today: dt.date, submitted: dt.date | None
) -> None:
    """R11 ……报送: a submission by the close day is in time, whatever the day of the sweep."""
    finding = rules.not_submitted_in_window(what="计划", closes=closes, today=today, submitted_on=submitted)
    if submitted is not None and submitted <= closes:
        assert finding is None
    if submitted is None:
        assert (finding is None) == (today <= closes)


def test_every_rule_has_a_policy_sentence() -> None:
    assert all(rule.source and rule.severity for rule in RULES.values())
