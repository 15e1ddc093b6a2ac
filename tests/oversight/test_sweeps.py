"""The periodic sweeps: R08 counterpart filings, R11 submissions, reminders; all idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from qijian.core.calendar import Quarter, annual_random_plan_due, plan_window, work_report_due
from qijian.core.testing import County
from qijian.oversight import sweeps
from qijian.oversight.models import Alert, Reminder
from qijian.plans.models import Plan, PlanEntry, WorkReport
from tests.oversight.factories import at, make_filing, make_item

pytestmark = pytest.mark.django_db
Q1 = Quarter(2027, 1)
REPORT_DUE = work_report_due(Q1.previous())  # the 2026Q4 report, due in January 2027


def keys(rule: str = "R11") -> list[str]:
    return sorted(Alert.objects.filter(rule=rule).values_list("dedup_key", flat=True))


def make_plan(county: County, quarter: Quarter = Q1, **extra: Any) -> Plan:
    fields = {"kind": "quarterly", "department": county.dept, "year": quarter.year, "quarter": quarter.number}
    return Plan.objects.create(**(fields | extra))


# --- R11 -------------------------------------------------------------------------------------------


def test_r11_on_the_report_due_day_nothing_is_overdue_yet(county: County) -> None:
    sweeps.sweep_submissions(REPORT_DUE)
    assert not [k for k in keys() if "work_report" in k]


def test_r11_the_day_after_each_missing_report_and_plan_is_overdue(county: County) -> None:
    raised = sweeps.sweep_submissions(REPORT_DUE + dt.timedelta(days=1))
    depts = sorted([county.dept.pk, county.other_dept.pk])
    assert keys() == sorted([f"R11:plan:{d}:2027Q1" for d in depts] + [f"R11:work_report:{d}:2026Q4" for d in depts])
    assert {a.severity for a in raised} == {"overdue"}


def test_r11_sweeping_twice_raises_one_alert_per_breach(county: County) -> None:
    day = REPORT_DUE + dt.timedelta(days=1)
    first = sweeps.sweep_submissions(day)
    assert sweeps.sweep_submissions(day) == []
    assert Alert.objects.count() == len(first) == 4


def test_r11_submitted_in_time_raises_nothing_and_late_submission_is_overdue(county: County) -> None:
    report = {"text": "本季度工作情况", "submitted_by": county.user("dept_admin")}
    WorkReport.objects.create(department=county.dept, year=2026, quarter=4, submitted_at=at(REPORT_DUE), **report)
    late_day = REPORT_DUE + dt.timedelta(days=2)
    WorkReport.objects.create(
        department=county.other_dept, year=2026, quarter=4, submitted_at=at(late_day), late=True, **report
    )
    sweeps.sweep_submissions(REPORT_DUE + dt.timedelta(days=3))
    assert [k for k in keys() if "work_report" in k] == [f"R11:work_report:{county.other_dept.pk}:2026Q4"]
    late = Alert.objects.get(dedup_key__startswith="R11:work_report")
    assert late.facts["submitted"] == late_day.isoformat()


def test_r11_a_plan_judged_in_time_stays_in_time_when_resubmitted_later(county: County) -> None:
    closes = plan_window(Q1).closes
    make_plan(county, submitted_at=at(closes + dt.timedelta(days=20)), status="submitted", late=False)
    sweeps.sweep_submissions(closes + dt.timedelta(days=30))
    assert f"R11:plan:{county.dept.pk}:2027Q1" not in keys()


def test_r11_an_extension_does_not_make_a_plan_in_time(county: County) -> None:
    """The plans app accepts a plan within an office-granted extension but flags it late (same key)."""
    closes = plan_window(Q1).closes
    make_plan(county, extension_until=at(closes + dt.timedelta(days=10)))
    sweeps.sweep_submissions(closes + dt.timedelta(days=1))
    assert f"R11:plan:{county.dept.pk}:2027Q1" in keys()


def test_r11_the_annual_random_plan_of_the_coordinators_department(county: County) -> None:
    due = annual_random_plan_due(2027)
    sweeps.sweep_submissions(due)
    assert not [k for k in keys() if "random_plan" in k]
    sweeps.sweep_submissions(due + dt.timedelta(days=1))
    coordinators = {county.dept.pk, county.other_dept.pk}  # build_county's two random coordinators
    assert {k for k in keys() if "random_plan" in k} == {f"R11:random_plan:{d}:2027" for d in coordinators}


def test_r11_only_county_enforcement_departments(county: County) -> None:
    county.other_dept.is_enforcement = False
    county.other_dept.save()
    sweeps.sweep_submissions(REPORT_DUE + dt.timedelta(days=1))
    assert all(f":{county.other_dept.pk}:" not in k for k in keys() if "random_plan" not in k)


# --- R08 -------------------------------------------------------------------------------------------


def superior_entry(county: County, start: dt.date, *, status: str = "approved", level: str = "province") -> PlanEntry:
    plan = make_plan(county, quarter=Quarter.of(start), status=status)
    item = make_item(county.dept)
    return PlanEntry.objects.create(
        plan=plan,
        item=item,
        basis="上级部署",
        mode="targeted",
        window_start=start,
        window_end=start + dt.timedelta(days=10),
        expected_count=1,
        level=level,
    )


def test_r08_a_started_superior_entry_without_a_filing(county: County) -> None:
    entry = superior_entry(county, dt.date(2027, 2, 1))
    assert sweeps.sweep_superior_counterparts(dt.date(2027, 2, 1)) == []  # the start day itself
    [alert] = sweeps.sweep_superior_counterparts(dt.date(2027, 2, 2))
    assert (alert.rule, alert.dedup_key, alert.plan_id) == ("R08", f"R08:entry:{entry.pk}", entry.plan_id)
    assert sweeps.sweep_superior_counterparts(dt.date(2027, 2, 3)) == []


@pytest.mark.parametrize(
    ("status", "level", "filed"),
    [("approved", "province", True), ("draft", "city", False), ("approved", "county", False)],
)
def test_r08_filed_unapproved_or_county_entries_raise_nothing(
    county: County, status: str, level: str, filed: bool
) -> None:
    entry = superior_entry(county, dt.date(2027, 2, 1), status=status, level=level)
    if filed:
        make_filing(county, day=dt.date(2027, 2, 1), plan_entry=entry)
    assert sweeps.sweep_superior_counterparts(dt.date(2027, 3, 1)) == []


# --- reminders -----------------------------------------------------------------------------------------


@pytest.fixture
def admin_mail(county: County, settings: Any) -> str:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    admin = county.user("dept_admin")
    admin.email = "yjj@example.cn"
    admin.save()
    return admin.email


def test_reminders_go_once_per_department_period_and_lead(
    county: County, admin_mail: str, django_capture_on_commit_callbacks: Any
) -> None:
    closes = plan_window(Quarter(2027, 2)).closes
    with django_capture_on_commit_callbacks(execute=True):
        sent = sweeps.send_reminders(closes - dt.timedelta(days=3))
    assert sorted(r.key for r in sent) == sorted(
        [f"plan:{county.dept.pk}:2027Q2:3", f"plan:{county.other_dept.pk}:2027Q2:3"]
    )
    assert [m.to for m in mail.outbox] == [[admin_mail]]
    [note] = county.user("dept_admin").notifications.all()
    assert note.link == "/plans/" and "2027年第2季度检查计划" in note.title
    assert sweeps.send_reminders(closes - dt.timedelta(days=3)) == []
    assert sweeps.send_reminders(closes - dt.timedelta(days=2)) == []
    assert [r.days_before for r in sweeps.send_reminders(closes - dt.timedelta(days=1))] == [1, 1]
    assert sweeps.send_reminders(closes) == []
    assert Reminder.objects.count() == 4


def test_no_reminder_for_a_submitted_plan_or_far_from_the_deadline(county: County, admin_mail: str) -> None:
    closes = plan_window(Quarter(2027, 2)).closes
    make_plan(county, quarter=Quarter(2027, 2), submitted_at=at(closes - dt.timedelta(days=5)), status="submitted")
    assert sweeps.send_reminders(closes - dt.timedelta(days=10)) == []
    sent = sweeps.send_reminders(closes - dt.timedelta(days=1))
    assert [r.department_id for r in sent] == [county.other_dept.pk]


def test_a_missed_day_sends_only_the_most_urgent_reminder(county: County, admin_mail: str) -> None:
    due = REPORT_DUE
    sent = sweeps.send_reminders(due - dt.timedelta(days=1))
    assert {r.key.split(":")[0] for r in sent} == {"work_report"}
    assert {r.days_before for r in sent} == {1}


# --- the command and the task ----------------------------------------------------------------------------


def test_sweep_command_prints_what_it_raised_and_is_idempotent(county: County) -> None:
    day = (REPORT_DUE + dt.timedelta(days=1)).isoformat()
    out = StringIO()
    call_command("sweep_oversight", "--today", day, stdout=out)
    assert "新预警 4 条" in out.getvalue() and "R11" in out.getvalue()
    again = StringIO()
    call_command("sweep_oversight", "--today", day, stdout=again)
    assert "新预警 0 条,新提醒 0 条" in again.getvalue()


def test_sweep_command_refuses_a_bad_date(county: County) -> None:
    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("sweep_oversight", "--today", "2027-13-01")


def test_the_daily_task_sweeps_and_queues_its_next_run_once(county: County) -> None:
    from django_tasks_db.models import DBTaskResult

    from qijian.oversight.tasks import sweep_deadlines_task

    sweep_deadlines_task.call()
    sweep_deadlines_task.call()
    pending = DBTaskResult.objects.filter(task_path=sweep_deadlines_task.module_path, status="READY")
    assert pending.count() == 1
    assert pending.get().run_after is not None


def test_deadlines_closed_before_the_go_live_day_are_not_judged(settings: Any) -> None:
    from qijian.oversight.sweeps import judged

    settings.QJ_JUDGE_FROM = dt.date(2026, 10, 1)
    assert not judged(dt.date(2026, 9, 30))
    assert judged(dt.date(2026, 10, 1))
    settings.QJ_JUDGE_FROM = None
    assert judged(dt.date(2025, 1, 31))
