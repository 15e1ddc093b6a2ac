"""Periodic deadline sweeps (run daily by tasks.sweep_deadlines_task and ``manage.py sweep_oversight``).

- R08: an approved plan entry of a superior level (national/province/city) whose window has started
  with no ACTIVE filing referring to it: the county counterpart did not file.
- R11: the current quarter's plan (window closed at the end of the previous quarter), the previous
  quarter's work report (after work_report_due) and this year's annual random plan (after
  annual_random_plan_due) not submitted — or submitted late. The keys are shared with the plan
  services' submit-time alerts, so a late submission and a sweep raise one alert, never two:
  "R11:plan:<dept id>:<YYYYQn>", "R11:work_report:<dept id>:<YYYYQn>", "R11:random_plan:<dept id>:<YYYY>".
- Reminders: ``reminders.days_before_close`` days before a window closes, the department's admins are
  mailed and notified in the app, once per (what, department, period, days) — the most urgent
  reminder due today only, so a missed day never sends two at once.

Every sweep is idempotent: running it twice on a day raises and sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from qijian.accounts.choices import Role
from qijian.accounts.models import User
from qijian.audit.services import record_event
from qijian.core.calendar import Quarter, annual_random_plan_due, local_zone, plan_window, work_report_due
from qijian.core.notify import notify_users, queue_mail
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from qijian.org.choices import DepartmentLevel
from qijian.org.models import Department
from qijian.oversight import rules
from qijian.oversight.models import Alert, Reminder
from qijian.oversight.services import raise_alert
from qijian.plans import periods
from qijian.plans.choices import InspectionLevel, PlanKind, PlanStatus
from qijian.plans.models import Plan, PlanEntry, WorkReport
from qijian.policy.loader import figure

SUPERIOR_LEVELS = (InspectionLevel.NATIONAL, InspectionLevel.PROVINCE, InspectionLevel.CITY)


@dataclass
class SweepResult:
    alerts: list[Alert] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What was raised and sent, in Chinese, for the management command."""
        out = [f"预警 {a.rule}【{a.get_severity_display()}】{a.department or ''} {a.message}" for a in self.alerts]
        out += [
            f"提醒 {r.department} {r.what} {r.period} 截止 {r.closes:%Y-%m-%d}(提前{r.days_before}天)"
            for r in self.reminders
        ]
        return out


# Sweeps of other apps (the follow-ups' R10), added from their AppConfig.ready; each returns the alerts it raised.
_EXTRA_SWEEPS: dict[str, Callable[[dt.date], list[Alert]]] = {}


def register_sweep(name: str, sweep: Callable[[dt.date], list[Alert]]) -> None:
    """Run ``sweep(today)`` with the daily deadline sweep; it must be idempotent like the built-in ones."""
    _EXTRA_SWEEPS[name] = sweep


def run_sweeps(today: dt.date) -> SweepResult:
    result = SweepResult()
    result.alerts += sweep_superior_counterparts(today)
    result.alerts += sweep_submissions(today)
    for sweep in _EXTRA_SWEEPS.values():
        result.alerts += sweep(today)
    result.reminders += send_reminders(today)
    return result


def county_departments() -> Any:
    return Department.objects.filter(level=DepartmentLevel.COUNTY, is_enforcement=True).order_by("code")


def random_plan_departments() -> Any:
    ids = User.objects.filter(role=Role.RANDOM_COORDINATOR, is_active=True, department__isnull=False)
    return Department.objects.filter(pk__in=ids.values("department_id")).order_by("code")


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(local_zone()).date() if moment else None


# --- R08 -------------------------------------------------------------------------------------------


def sweep_superior_counterparts(today: dt.date) -> list[Alert]:
    """R08: superior-level entries of approved plans, started before today, with no ACTIVE filing."""
    filed = Filing.objects.filter(status=FilingStatus.ACTIVE, plan_entry__isnull=False).values("plan_entry_id")
    entries = (
        PlanEntry.objects.filter(plan__status=PlanStatus.APPROVED, level__in=SUPERIOR_LEVELS, window_start__lt=today)
        .exclude(pk__in=filed)
        .select_related("plan__department", "item")
    )
    raised = []
    for entry in entries:
        finding = rules.superior_without_counterpart(started=True, counterpart_filed=False)
        if finding is None:
            continue
        facts = finding.facts | {
            "entry": entry.pk,
            "item": entry.item.name,
            "window_start": entry.window_start.isoformat(),
        }
        finding = rules.Finding(finding.rule, finding.severity, finding.message, facts)
        alert = raise_alert(
            finding=finding, key=f"R08:entry:{entry.pk}", department=entry.plan.department, plan=entry.plan
        )
        if alert is not None:
            raised.append(alert)
    return raised


# --- R11 -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One submission a department owes: what, for which period, by when, and what it submitted."""

    key: str
    what: str
    period: str
    closes: dt.date
    submitted_on: dt.date | None
    plan: Plan | None = None


def _submitted_on(row: Plan | WorkReport | None, closes: dt.date) -> dt.date | None:
    """The day it was submitted, as judged by the plans app: a row not flagged late was in time
    (a returned plan resubmitted after the window keeps its first, in-time judgement)."""
    day = _local_day(row.submitted_at) if row is not None else None
    if day is None or row is None or row.late:
        return day
    return min(day, closes)


def plan_due(department: Department, quarter: Quarter) -> Due:
    plan = Plan.objects.filter(
        kind=PlanKind.QUARTERLY, department=department, year=quarter.year, quarter=quarter.number
    ).first()
    closes = plan_window(quarter).closes  # an extension lets a late plan in; it is still late (R11)
    key = periods.plan_alert_key(department.pk, quarter.year, quarter.number)
    return Due(
        key, f"{department.name}{quarter.label}检查计划", quarter.code, closes, _submitted_on(plan, closes), plan
    )


def work_report_due_of(department: Department, quarter: Quarter) -> Due:
    report = WorkReport.objects.filter(department=department, year=quarter.year, quarter=quarter.number).first()
    closes = work_report_due(quarter)
    key = periods.work_report_alert_key(department.pk, quarter.code)
    return Due(key, f"{department.name}{quarter.label}工作情况", quarter.code, closes, _submitted_on(report, closes))


def random_plan_due(department: Department, year: int) -> Due:
    plan = Plan.objects.filter(kind=PlanKind.ANNUAL_RANDOM, department=department, year=year).first()
    closes = annual_random_plan_due(year)
    key = periods.plan_alert_key(department.pk, year, None)
    return Due(key, f"{department.name}{year}年度双随机检查计划", str(year), closes, _submitted_on(plan, closes), plan)


def dues_on(today: dt.date) -> Iterator[tuple[Department, Due]]:
    """Submissions judged on ``today``: this quarter's plan, last quarter's report, this year's random plan."""
    current = Quarter.of(today)
    for department in county_departments():
        yield department, plan_due(department, current)
        yield department, work_report_due_of(department, current.previous())
    for department in random_plan_departments():
        yield department, random_plan_due(department, today.year)


def judged(closes: dt.date) -> bool:
    """Is a deadline that closed on ``closes`` judged at all? Not before the county's go-live day."""
    since = settings.QJ_JUDGE_FROM
    return since is None or closes >= since


def sweep_submissions(today: dt.date) -> list[Alert]:
    """R11: raise an overdue alert for each submission not made (or made late) by its deadline."""
    raised = []
    for department, due in dues_on(today):
        if not judged(due.closes):
            continue
        finding = rules.not_submitted_in_window(
            what=due.what, closes=due.closes, today=today, submitted_on=due.submitted_on
        )
        if finding is None:
            continue
        alert = raise_alert(finding=finding, key=due.key, department=department, plan=due.plan)
        if alert is not None:
            raised.append(alert)
    return raised


# --- reminders ---------------------------------------------------------------------------------------


def upcoming_on(today: dt.date) -> Iterator[tuple[Department, Due]]:
    """Submissions still ahead: next quarter's plan, last quarter's report, this year's random plan."""
    current = Quarter.of(today)
    for department in county_departments():
        yield department, plan_due(department, current.next())
        yield department, work_report_due_of(department, current.previous())
    for department in random_plan_departments():
        yield department, random_plan_due(department, today.year)


def reminder_days(due: Due, today: dt.date) -> int | None:
    """The most urgent reminder lead time due today (None: none due, or already submitted)."""
    if due.submitted_on is not None or today > due.closes:
        return None
    lead = (due.closes - today).days
    applicable = [int(d) for d in figure("reminders.days_before_close") if lead <= int(d)]
    return min(applicable) if applicable else None


def send_reminders(today: dt.date) -> list[Reminder]:
    sent = []
    for department, due in upcoming_on(today):
        days = reminder_days(due, today)
        if days is None:
            continue
        reminder = _remind(department, due, days)
        if reminder is not None:
            sent.append(reminder)
    return sent


def _reminder_text(due: Due) -> tuple[str, str]:
    title = f"提醒:{due.what}将于{due.closes:%Y年%m月%d日}截止报送"
    body = f"{due.what}的报送截止日为{due.closes:%Y年%m月%d日},请按时报送;逾期未报送将生成监督预警。"
    return title, body


def _remind(department: Department, due: Due, days: int) -> Reminder | None:
    """Mail and notify the department's admins, once per (what, department, period, days)."""
    what = due.key.split(":")[1]
    key = f"{what}:{department.pk}:{due.period}:{days}"
    if Reminder.objects.filter(key=key).exists():
        return None
    admins = list(User.objects.filter(role=Role.DEPT_ADMIN, is_active=True, department=department))
    title, body = _reminder_text(due)
    reminder = Reminder(
        key=key,
        department=department,
        what=what,
        period=due.period,
        days_before=days,
        closes=due.closes,
        recipients=[u.username for u in admins],
        sent_at=dt.datetime.now(dt.UTC),
    )
    try:
        with transaction.atomic():
            reminder.save(force_insert=True)
            record_event(actor=None, action="oversight.send_reminder", target=reminder, after={"key": key})
            notify_users(users=admins, title=title, body=body, link=_link(what))
            queue_mail(to=[u.email for u in admins], subject=f"[企检] {title}", body=body)
    except IntegrityError:  # a concurrent sweep sent it first
        return None
    return reminder


def _link(what: str) -> str:
    return reverse("plans:work_report_list" if what == "work_report" else "plans:plan_list")
