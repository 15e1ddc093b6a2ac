"""manage.py plan_joint_visits."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from qijian.joint.models import PlanningRun
from tests.joint.factories import QUARTER, JointSetup

pytestmark = pytest.mark.django_db


def test_command_runs_the_planner_for_the_quarter_and_prints_the_figures(js: JointSetup) -> None:
    out = io.StringIO()
    call_command("plan_joint_visits", "--quarter", QUARTER.code, stdout=out)
    assert "减少入企 1 次" in out.getvalue() and "理论最少(下界)1 次" in out.getvalue()
    assert PlanningRun.objects.get().run_by == js.office


def test_command_defaults_to_the_next_quarter(js: JointSetup) -> None:
    call_command("plan_joint_visits", stdout=io.StringIO())
    assert PlanningRun.objects.get().quarter == QUARTER.code


def test_command_refuses_a_bad_quarter_in_chinese(js: JointSetup) -> None:
    with pytest.raises(CommandError, match="无法识别的季度"):
        call_command("plan_joint_visits", "--quarter", "下季度")


def test_command_refuses_an_unknown_office_account(js: JointSetup) -> None:
    with pytest.raises(CommandError, match="不存在"):
        call_command("plan_joint_visits", "--by", "nobody")
