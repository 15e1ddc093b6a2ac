"""Quarters, submission windows and Chinese working days (qijian/core/calendar.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qijian.core import calendar
from qijian.core.calendar import Quarter
from qijian.policy.loader import figure


def test_quarter_of_a_date_and_its_bounds() -> None:
    q = Quarter.of(dt.date(2026, 11, 27))
    assert (q.year, q.number, q.start, q.end) == (2026, 4, dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert q.next() == Quarter(2027, 1) and Quarter(2027, 1).previous() == q


@pytest.mark.parametrize("text", ["2027Q1", "2027-q1", "2027年第1季度", " 2027 Q1 "])
def test_quarter_parses_the_forms_staff_write(text: str) -> None:
    assert Quarter.parse(text) == Quarter(2027, 1)


@pytest.mark.parametrize("text", ["2027Q5", "Q1", "2027年第一季度", ""])
def test_quarter_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(ValueError, match="季度"):
        Quarter.parse(text)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_day_lies_in_exactly_its_quarter(day: dt.date) -> None:
    q = Quarter.of(day)
    assert q.contains(day) and not q.next().contains(day) and not q.previous().contains(day)


def test_plan_window_is_the_last_days_of_the_preceding_quarter() -> None:
    days = figure("plan_window.days_before_quarter_end")
    window = calendar.plan_window(Quarter(2027, 1))
    assert window.closes == dt.date(2026, 12, 31)
    assert (window.closes - window.opens).days + 1 == days
    assert not window.contains(window.opens - dt.timedelta(days=1)) and window.contains(window.opens)


def test_deadlines_come_from_the_policy_file() -> None:
    assert calendar.annual_random_plan_due(2027) == dt.date(2027, figure("random_plan.due_month"), 31)
    assert calendar.work_report_due(Quarter(2026, 4)) == dt.date(2027, 1, figure("work_report.due_day_of_first_month"))


def test_national_day_holiday_and_its_makeup_weekend_days() -> None:
    assert not any(calendar.is_working_day(dt.date(2026, 10, d)) for d in range(1, 8))  # 国庆节、中秋节
    assert calendar.is_working_day(dt.date(2026, 9, 20))  # a Sunday worked in exchange (调休)
    assert calendar.is_working_day(dt.date(2026, 10, 10))  # a Saturday worked in exchange


def test_working_days_skip_weekends_and_holidays() -> None:
    assert calendar.add_working_days(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
    end = calendar.add_working_days(dt.date(2026, 9, 30), 5)
    assert end == dt.date(2026, 10, 13)  # 8, 9, 10 (Saturday, 调休), 12, 13
    assert calendar.working_days_between(dt.date(2026, 9, 30), end) == 5


def test_a_year_without_a_holiday_schedule_counts_monday_to_friday() -> None:
    assert calendar.is_working_day(dt.date(2099, 6, 1))  # a Monday
    assert not calendar.is_working_day(dt.date(2099, 6, 6))  # a Saturday
