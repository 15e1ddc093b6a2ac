"""The joint-visit workflow: run → each department answers → one joint filing."""

from __future__ import annotations

import datetime as dt

import pytest

from qijian.audit.models import AuditEvent
from qijian.core.calendar import Quarter
from qijian.inspections.models import Filing
from qijian.joint import services
from qijian.joint.models import DepartmentCapacity, PlanningRun, Proposal, Unplanned
from tests.joint.factories import QUARTER, JointSetup

pytestmark = pytest.mark.django_db


def _accept_all(js: JointSetup, proposal: Proposal) -> Proposal:
    for department in (js.county.dept, js.county.other_dept):
        proposal = services.answer_proposal(actor=js.admin(department), proposal=proposal, accept=True)
    return proposal


def test_run_merges_two_departments_tasks_at_one_enterprise_into_one_proposal(js: JointSetup) -> None:
    run = js.run()
    proposal = js.proposal()
    assert (run.task_count, run.visit_count, run.lower_bound, run.visits_saved) == (2, 1, 1, 1)
    assert {t.department_id for t in proposal.tasks.all()} == {js.county.dept.pk, js.county.other_dept.pk}
    assert QUARTER.start <= proposal.day <= QUARTER.start + dt.timedelta(days=30)
    assert AuditEvent.objects.filter(action="joint.run_planner").count() == 1


def test_run_by_a_department_admin_is_refused_and_writes_nothing(js: JointSetup) -> None:
    with pytest.raises(services.JointError, match="联席会议办公室"):
        services.run_planner(actor=js.admin(js.county.dept), quarter=QUARTER)
    assert not PlanningRun.objects.exists()


def test_run_for_an_ended_quarter_is_refused(js: JointSetup) -> None:
    with pytest.raises(services.JointError, match="已结束"):
        services.run_planner(actor=js.office, quarter=Quarter(2026, 1))


def test_every_department_accepting_makes_one_joint_filing_with_the_lead_and_partner(js: JointSetup) -> None:
    js.run()
    proposal = _accept_all(js, js.proposal())
    assert proposal.status == "filed"
    filing = Filing.objects.get()
    assert filing.joint and filing.pk == proposal.filing_id
    assert filing.department_id == proposal.lead_department_id
    partners = set(filing.partners.values_list("pk", flat=True))
    assert partners == {js.county.dept.pk, js.county.other_dept.pk} - {proposal.lead_department_id}
    assert filing.inspectors.count() >= 2
    assert filing.window_start.date() == proposal.day


def test_one_acceptance_of_two_keeps_the_proposal_waiting(js: JointSetup) -> None:
    js.run()
    proposal = services.answer_proposal(actor=js.admin(js.county.dept), proposal=js.proposal(), accept=True)
    assert proposal.status == "proposed"
    assert not Filing.objects.exists()


def test_decline_without_a_reason_is_refused_and_changes_nothing(js: JointSetup) -> None:
    js.run()
    with pytest.raises(services.JointError, match="理由"):
        services.answer_proposal(actor=js.admin(js.county.dept), proposal=js.proposal(), accept=False, reason=" ")
    assert js.proposal().tasks.filter(answer="pending").count() == 2


def test_decline_closes_the_proposal_and_the_next_run_plans_the_tasks_again(js: JointSetup) -> None:
    js.run()
    declined = services.answer_proposal(
        actor=js.admin(js.county.other_dept), proposal=js.proposal(), accept=False, reason="当日有专项整治任务"
    )
    assert declined.status == "declined"
    assert declined.tasks.get(department=js.county.other_dept).reason == "当日有专项整治任务"
    js.run()
    assert Proposal.objects.filter(status="proposed").count() == 1


def test_a_department_not_in_the_visit_cannot_answer(js: JointSetup) -> None:
    js.run()
    with pytest.raises(services.JointError):
        services.answer_proposal(actor=js.office, proposal=js.proposal(), accept=True)


def test_a_second_run_supersedes_waiting_proposals_but_keeps_filed_ones(js: JointSetup) -> None:
    js.run()
    _accept_all(js, js.proposal())
    run = js.run()
    assert run.task_count == 0
    assert Proposal.objects.filter(status="filed").count() == 1


def test_a_task_for_a_closed_enterprise_is_unplannable_with_the_reason(js: JointSetup) -> None:
    js.county.enterprise.status = "closed"
    js.county.enterprise.save(update_fields=["status"])
    run = js.run()
    assert run.unplannable_count == 2 and run.visit_count == 0
    assert all("注销" in row.reason for row in Unplanned.objects.all())


def test_a_department_with_no_capacity_has_its_tasks_unplannable(js: JointSetup) -> None:
    services.set_capacity(actor=js.office, department=js.county.other_dept, teams_per_day=0)
    run = js.run()
    row = Unplanned.objects.get()
    assert run.visit_count == 1 and row.department == js.county.other_dept
    assert "每日可派检查组数为0" in row.reason


def test_a_department_admin_sets_only_its_own_capacity(js: JointSetup) -> None:
    services.set_capacity(actor=js.admin(js.county.dept), department=js.county.dept, teams_per_day=5)
    assert DepartmentCapacity.objects.get().teams_per_day == 5
    with pytest.raises(services.JointError):
        services.set_capacity(actor=js.admin(js.county.dept), department=js.county.other_dept, teams_per_day=5)


def test_negative_capacity_is_refused(js: JointSetup) -> None:
    with pytest.raises(services.JointError, match="整数"):
        services.set_capacity(actor=js.office, department=js.county.dept, teams_per_day=-1)


def test_a_refused_filing_keeps_the_proposal_accepted_with_the_reason(js: JointSetup) -> None:
    from qijian.org.models import Inspector

    js.run()
    Inspector.objects.update(status="suspended")
    proposal = _accept_all(js, js.proposal())
    assert proposal.status == "accepted"
    assert proposal.filing_error
    assert not Filing.objects.exists()


def test_the_lead_admin_files_an_accepted_proposal_again(js: JointSetup) -> None:
    from qijian.org.models import Inspector

    js.run()
    Inspector.objects.update(status="suspended")
    proposal = _accept_all(js, js.proposal())
    Inspector.objects.update(status="active")
    filing = services.file_proposal(actor=js.admin(proposal.lead_department), proposal=proposal)
    assert filing.joint
    proposal.refresh_from_db()
    assert proposal.status == "filed" and proposal.filing_error == ""
