"""Periods and deadlines of plans and work reports, from the policy file (via qijian.core.calendar).

Shared with the R11 sweeps: ``plan_alert_key`` / ``work_report_alert_key`` name an R11 breach the same
way wherever it is raised, so the submission services and the periodic sweep never raise it twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from qijian.core.calendar import Quarter, Window, annual_random_plan_due, plan_window

# The policy names only the annual random plan's due date; it may be submitted from this day of the
# previous year (a design decision, docs/plans.md): month, day.
ANNUAL_PLAN_OPENS = (12, 1)


def period_label(year: int, quarter: int | None) -> str:
    return f"{year}年第{quarter}季度" if quarter else f"{year}年度"


def period_code(year: int, quarter: int | None) -> str:
    """'2027Q1' for a quarter, '2027' for a year (the annual random plan)."""
    return f"{year}Q{quarter}" if quarter else str(year)


def plan_alert_key(department_id: int, year: int, quarter: int | None) -> str:
    """R11 key of a plan not submitted in its window: 'R11:plan:12:2027Q1'; the annual random plan
    'R11:random_plan:12:2027' (the keys oversight.sweeps uses)."""
    if quarter is None:
        return f"R11:random_plan:{department_id}:{year}"
    return f"R11:plan:{department_id}:{period_code(year, quarter)}"


def work_report_alert_key(department_id: int, code: str) -> str:
    """R11 key of a late or missing work report on a quarter, e.g. 'R11:work_report:12:2026Q3'."""
    return f"R11:work_report:{department_id}:{code}"


def annual_window(year: int) -> Window:
    month, day = ANNUAL_PLAN_OPENS
    return Window(opens=dt.date(year - 1, month, day), closes=annual_random_plan_due(year))


def submission_window(plan: Any) -> Window:
    """When ``plan`` may be submitted: the policy's window of its quarter, or of the annual plan."""
    if plan.quarter is None:
        return annual_window(plan.year)
    return plan_window(Quarter(plan.year, plan.quarter))


def plan_period(plan: Any) -> tuple[dt.date, dt.date]:
    """First and last day a plan's entries may fall on: its quarter, or its year."""
    if plan.quarter is None:
        return dt.date(plan.year, 1, 1), dt.date(plan.year, 12, 31)
    quarter = Quarter(plan.year, plan.quarter)
    return quarter.start, quarter.end


def last_quarter(plan: Any) -> Quarter:
    return Quarter(plan.year, plan.quarter or 4)


def completion_opens_for(quarter: Quarter) -> dt.date:
    """Completion of ``quarter`` is reported with the next quarter's plan: from its window's first day."""
    return plan_window(quarter.next()).opens


def completion_opens(plan: Any) -> dt.date:
    return completion_opens_for(last_quarter(plan))
