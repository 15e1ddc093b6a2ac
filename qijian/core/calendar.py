"""Quarters, submission windows and Chinese working days (法定节假日 and 调休 via ``chinese-calendar``).

The windows come from the policy file: a quarterly plan is submitted in the last
``plan_window.days_before_quarter_end`` days of the preceding quarter; the annual random plan is
due by ``random_plan.due_month/due_day``; a work report by day ``work_report.due_day_of_first_month``
of the quarter after the one it reports on. ``chinese-calendar`` knows the State Council's holiday
schedule for the years it was released with; for a later year the module falls back to Monday–Friday
and says so in the log, so an operator upgrades the package when the new schedule is published.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import chinese_calendar

from qijian.policy.loader import figure

log = logging.getLogger(__name__)
_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*(?:Q|-Q|年第)?\s*([1-4])\s*(?:季度)?\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"季度应为 1–4,而不是 {self.number}")
        if not 1 <= self.year <= 9998:  # its dates and the next quarter must exist
            raise ValueError(f"年份超出范围:{self.year}")

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """'2026Q1', '2026-Q1', '2026年第1季度'."""
        match = _QUARTER_RE.match(text)
        if not match:
            raise ValueError(f"无法识别的季度:{text!r}(应如 2026Q1 或 2026年第1季度)")
        return cls(int(match[1]), int(match[2]))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.number}季度"

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Window:
    """A submission window: open on ``opens`` through ``closes`` (both inclusive, local dates)."""

    opens: dt.date
    closes: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.opens <= day <= self.closes

    @property
    def label(self) -> str:
        return f"{self.opens:%Y年%m月%d日}至{self.closes:%Y年%m月%d日}"


def plan_window(quarter: Quarter) -> Window:
    """The days a department may submit its plan for ``quarter``: the last N days of the quarter before."""
    days = int(figure("plan_window.days_before_quarter_end"))
    closes = quarter.start - dt.timedelta(days=1)
    return Window(opens=closes - dt.timedelta(days=days - 1), closes=closes)


def annual_random_plan_due(year: int) -> dt.date:
    return dt.date(year, int(figure("random_plan.due_month")), int(figure("random_plan.due_day")))


def work_report_due(reported: Quarter) -> dt.date:
    """Due date of the work report on ``reported``: day N of the following quarter's first month."""
    return reported.next().start.replace(day=int(figure("work_report.due_day_of_first_month")))


def is_working_day(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        _warn_no_schedule(day.year)
        return day.weekday() < 5


@functools.cache
def _warn_no_schedule(year: int) -> None:
    """Once per process and year: a planner asks about hundreds of days."""
    log.warning("chinese-calendar has no holiday schedule for %s; counting Monday–Friday", year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``day`` (``day`` itself not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days have passed from ``start`` to ``end``."""
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=n)))


def local_zone() -> ZoneInfo:
    from django.conf import settings

    return ZoneInfo(settings.TIME_ZONE)


def local_today() -> dt.date:
    return dt.datetime.now(local_zone()).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of ``day`` in the county's time zone (a deadline "by day X")."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=local_zone()) - dt.timedelta(
        microseconds=1
    )
