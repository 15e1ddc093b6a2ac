"""The quarterly summary's figures (queries/summary.py): what is counted, in which quarter, for whom."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.core.calendar import Quarter
from qijian.core.testing import County
from qijian.evaluations.models import Answer
from qijian.evaluations.queries.summary import INSUFFICIENT, quarter_summary, summary_for
from tests.evaluations import summary_factories as f

Q4 = Quarter(2026, 4)
TODAY = dt.date(2027, 1, 10)
OCT, NOV, DEC = dt.date(2026, 10, 15), dt.date(2026, 11, 16), dt.date(2026, 12, 20)


def _row(summary: Any, name: str) -> Any:
    return next(r for r in summary.departments if r.name == name)


@pytest.fixture
def scenario(county: County) -> County:
    """Q4 2026: the first department has 4 responses (one unhappy, one improper request), 5 follow-ups,
    2 complaints, an R01 and an R02 alert and 2 referrals; the other department has 1 response."""
    f.follow_up(county, due_on=OCT, done_on=OCT)  # on time
    f.follow_up(county, due_on=OCT, done_on=dt.date(2026, 10, 17))  # late
    f.follow_up(county, due_on=DEC, done_on=None)  # overdue by TODAY
    f.follow_up(county, due_on=dt.date(2026, 9, 30))  # Q3: not counted
    f.respond(county, day=OCT, satisfaction="非常满意")
    f.respond(county, day=NOV, satisfaction="满意")
    f.respond(county, day=NOV, satisfaction="非常不满意", improper_requests="是", within_scope="超范围")
    f.respond(county, day=DEC, satisfaction="基本满意", suggestion="希望合并检查")
    f.respond(county, day=NOV, satisfaction="不满意", department=county.other_dept, enterprise=county.other_enterprise)
    f.respond(county, day=dt.date(2027, 1, 3), satisfaction="非常不满意")  # Q1 2027: not counted
    f.complaint(county, day=NOV, status="replied")
    overdue = f.complaint(county, day=NOV, reply_due=dt.date(2026, 12, 31))  # open, overdue by TODAY
    f.complaint(county, day=DEC, no_department=True, status="handling")
    r01 = f.alert(county, day=OCT, rule="R01")
    f.alert(county, day=NOV, rule="R02")
    f.alert(county, day=NOV, rule="R06")  # not a clue rule
    f.referral(county, day=NOV, origin=r01, status="approved")
    f.referral(county, day=DEC, origin=overdue)
    return county


def test_follow_ups_due_in_the_quarter_are_counted_done_late_and_overdue(scenario: County) -> None:
    row = _row(quarter_summary(Q4, today=TODAY), "县应急管理局")
    # 3 follow-ups above + 4 done ones behind the Q4 responses
    assert (row.follow_ups_due, row.follow_ups_done, row.follow_ups_late, row.follow_ups_overdue) == (7, 6, 1, 1)
    assert row.follow_ups_pending == 0


def test_a_follow_up_not_yet_due_is_pending_not_overdue(scenario: County) -> None:
    row = _row(quarter_summary(Q4, today=dt.date(2026, 12, 10)), "县应急管理局")
    assert (row.follow_ups_overdue, row.follow_ups_pending) == (0, 1)


def test_satisfaction_distribution_and_average_score(scenario: County) -> None:
    row = _row(quarter_summary(Q4, today=TODAY), "县应急管理局")
    assert row.responses == 4 and row.suggestions == 1
    assert row.satisfaction == {"非常满意": 1, "满意": 1, "基本满意": 1, "不满意": 0, "非常不满意": 1}
    assert row.satisfaction_average == 3.25
    assert row.satisfaction_text == "3.25"
    assert row.satisfied_percent == "75.0%"


def test_satisfaction_below_min_group_reads_sample_insufficient(scenario: County) -> None:
    summary = quarter_summary(Q4, today=TODAY)
    other = _row(summary, "县生态环境分局")
    assert other.responses == 1 and other.satisfaction["不满意"] == 1
    assert other.satisfaction_average is None and other.satisfaction_text == INSUFFICIENT
    assert summary.county.satisfaction_text == "3.00"  # (5+4+3+1+2)/5


def test_problem_clues_count_answers_complaints_and_r01_r02_alerts(scenario: County) -> None:
    summary = quarter_summary(Q4, today=TODAY)
    row = _row(summary, "县应急管理局")
    assert row.answer_clues["improper_requests"] == 1
    assert row.answer_clues["within_scope"] == 1
    assert row.answer_clues["satisfaction"] == 1
    assert row.answer_clues["id_shown"] == 0
    assert row.alert_clues == {"R01": 1, "R02": 1}
    assert row.clue_total == 3 + 2 + 2
    by_code = {(c.code, c.department): c.count for c in summary.clues}
    assert by_code[("satisfaction", "县生态环境分局")] == 1
    assert by_code[("improper_requests", "县应急管理局")] == 1


def test_complaints_and_referrals_of_the_quarter(scenario: County) -> None:
    summary = quarter_summary(Q4, today=TODAY)
    row = _row(summary, "县应急管理局")
    assert (row.complaints_received, row.complaints_replied, row.complaints_open, row.complaints_overdue) == (
        2,
        1,
        1,
        1,
    )
    assert (row.referrals_proposed, row.referrals_approved) == (2, 1)
    unassigned = summary.departments[-1]
    assert unassigned.department_id is None and unassigned.complaints_received == 1
    assert summary.county.complaints_received == 3 and summary.county.complaints_open == 2


def test_county_totals_add_up_the_departments(scenario: County) -> None:
    summary = quarter_summary(Q4, today=TODAY)
    assert summary.county.follow_ups_due == sum(r.follow_ups_due for r in summary.departments) == 8
    assert summary.county.responses == 5
    assert summary.county.satisfaction["非常不满意"] == 1


def test_clue_details_name_the_enterprise_and_advise_on_referral(scenario: County) -> None:
    details = quarter_summary(Q4, today=TODAY, details=True).details
    kinds = [d.kind for d in details]
    assert kinds.count("问卷") == 4 and kinds.count("投诉") == 3 and kinds.count("预警") == 2
    assert details[-1].kind == "意见建议" and details[-1].note == "希望合并检查"
    improper = next(d for d in details if d.what.startswith("吃拿卡要"))
    answer = next(a for a in Answer.objects.filter(question__code="improper_requests") if a.choices == ["是"])
    assert improper.enterprise == answer.response.follow_up.enterprise.name and "索要土特产" in improper.note
    assert improper.advice.startswith("建议研究")
    r01 = next(d for d in details if d.kind == "预警" and "R01" in d.what)
    assert r01.advice == "已提请移送:已批准移送"
    r02 = next(d for d in details if d.kind == "预警" and "R02" in d.what)
    assert r02.advice == "—"  # not a referral candidate
    referred = [d for d in details if d.kind == "投诉" and d.advice.startswith("已提请移送")]
    assert len(referred) == 1


def test_a_department_reads_its_own_row_only_without_details(scenario: County) -> None:
    summary = summary_for(scenario.user("dept_admin", other=True), Q4, today=TODAY)
    assert summary is not None and summary.department_only
    assert [r.name for r in summary.departments] == ["县生态环境分局"]
    assert summary.details == [] and summary.clues == []
    row = summary.departments[0]
    assert row.clues_hidden and row.answer_clue_total == 0  # one response: who answered is guessable
    assert row.satisfaction_text == INSUFFICIENT


def test_a_department_with_enough_responses_sees_its_clue_counts(scenario: County) -> None:
    summary = summary_for(scenario.user("dept_admin"), Q4, today=TODAY)
    assert summary is not None and summary.departments[0].answer_clues["improper_requests"] == 1
    assert summary.details == []


@pytest.mark.parametrize("role", ["random_coordinator", "inspector", "enterprise", "discipline", "sysadmin"])
def test_other_roles_read_no_summary(scenario: County, role: str) -> None:
    assert summary_for(scenario.user(role), Q4, today=TODAY) is None


def test_the_office_reads_the_whole_packet(scenario: County) -> None:
    summary = summary_for(scenario.user("office"), Q4, today=TODAY)
    assert summary is not None and len(summary.departments) == 3 and summary.details


def _queries_for(django_assert_num_queries: Any, count: int) -> None:
    with django_assert_num_queries(count):
        quarter_summary(Q4, today=TODAY, details=True)


def test_the_summary_takes_a_constant_number_of_queries(county: County, django_assert_num_queries: Any) -> None:
    f.respond(county, day=NOV)
    f.complaint(county, day=NOV)
    f.alert(county, day=NOV)
    _queries_for(django_assert_num_queries, 11)
    for _ in range(6):
        f.respond(county, day=NOV, satisfaction="不满意", department=county.other_dept)
        f.complaint(county, day=DEC, department=county.other_dept)
        f.alert(county, day=DEC, rule="R02", department=county.other_dept)
    _queries_for(django_assert_num_queries, 11)


def test_an_empty_quarter_has_no_rows_and_zero_totals(county: County) -> None:
    summary = quarter_summary(Q4, today=TODAY, details=True)
    assert summary.departments == [] and summary.details == []
    assert summary.county.follow_ups_due == 0 and summary.county.satisfaction_text == INSUFFICIENT
