"""The daily check that puts an approved list in force, its seeding, and the operator commands."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.grading import services
from qijian.grading.models import GradeList
from qijian.grading.tasks import apply_due_lists_task
from tests.grading.factories import DECEMBER, GOOD, draft, grading_decision, values
from tests.plans.factories import freeze

pytestmark = pytest.mark.django_db


def test_the_daily_task_applies_a_due_list_and_queues_its_next_run_once(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    values(county.enterprise, **GOOD)
    grade_list = draft(county, monkeypatch)
    services.approve_grade_list(actor=county.user("office"), grade_list=grade_list, decision=grading_decision(county))
    freeze(monkeypatch, dt.date(2027, 1, 1))
    assert apply_due_lists_task.call() == ["2027年度企业分级分类监管清单已生效,1户企业等级变更。"]
    assert apply_due_lists_task.call() == []
    assert Enterprise.objects.get(pk=county.enterprise.pk).grade == "A"
    pending = DBTaskResult.objects.filter(task_path=apply_due_lists_task.module_path, status="READY")
    assert pending.count() == 1


def test_schedule_periodic_seeds_the_grading_check(county: County) -> None:
    out = io.StringIO()
    call_command("schedule_periodic", stdout=out)
    assert "分级分类清单生效检查" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path=apply_due_lists_task.module_path).count() == 1


def test_produce_command_defaults_to_next_year(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, DECEMBER)
    out = io.StringIO()
    call_command("produce_grade_list", "--user", "office", stdout=out)
    assert GradeList.objects.get().year == 2027 and "B类2户" in out.getvalue()
    with pytest.raises(CommandError, match="联席会议办公室"):
        call_command("produce_grade_list", "--user", "supervisor", stdout=io.StringIO())


def test_apply_command_reports_nothing_due(county: County) -> None:
    out = io.StringIO()
    call_command("apply_grade_lists", stdout=out)
    assert "没有待生效的清单" in out.getvalue()
