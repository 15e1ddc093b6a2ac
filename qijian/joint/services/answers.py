"""answer_proposal: each affected department accepts or declines (with a reason) a proposed joint visit;
set_capacity: a department's daily team capacity."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse

from qijian.accounts.choices import Role
from qijian.audit.services import record_event, snapshot
from qijian.core.notify import notify_role
from qijian.joint.choices import Answer, ProposalStatus
from qijian.joint.models import DepartmentCapacity, Proposal, ProposalTask
from qijian.joint.services.errors import JointError
from qijian.joint.services.filing import try_file
from qijian.org.models import Department

MAX_TEAMS = 1000


def _department_tasks(actor: Any, proposal: Proposal) -> list[ProposalTask]:
    if getattr(actor, "role", None) != Role.DEPT_ADMIN or not actor.department_id:
        raise JointError("只有涉及该联合检查的部门管理员可以确认或拒绝。")
    tasks = list(proposal.tasks.select_for_update().filter(department_id=actor.department_id))
    if not tasks:
        raise JointError("该联合检查建议不涉及本部门的检查任务。")
    return tasks


def _check_open(proposal: Proposal) -> None:
    if proposal.status != ProposalStatus.PROPOSED:
        raise JointError(f"该联合检查建议当前为“{proposal.get_status_display()}”状态,不能再确认或拒绝。")


@transaction.atomic
def answer_proposal(*, actor: Any, proposal: Proposal, accept: bool, reason: str = "") -> Proposal:
    """Record the actor's department's answer on all of its tasks in the visit.

    A decline needs a reason and closes the proposal (its tasks are planned again by the next run).
    When every department has accepted, the visit becomes one joint filing led by the lead department."""
    proposal = Proposal.objects.select_for_update().select_related("enterprise", "lead_department").get(pk=proposal.pk)
    _check_open(proposal)
    tasks = _department_tasks(actor, proposal)
    reason = str(reason or "").strip()
    if not accept and not reason:
        raise JointError("拒绝联合检查须填写理由。")
    before = snapshot(proposal)
    _write_answer(actor, tasks, accept, reason)
    _advance(proposal, accept)
    after = snapshot(proposal) | {"department": actor.department.name, "answer": _answer(accept), "reason": reason}
    record_event(actor=actor, action="joint.answer_proposal", target=proposal, before=before, after=after)
    if proposal.status == ProposalStatus.DECLINED:
        _tell_declined(proposal, actor.department, reason)
    if proposal.status == ProposalStatus.ACCEPTED:
        try_file(proposal, trigger=actor)
    return proposal


def _answer(accept: bool) -> str:
    return str(Answer.ACCEPT if accept else Answer.DECLINE)


def _write_answer(actor: Any, tasks: list[ProposalTask], accept: bool, reason: str) -> None:
    now = dt.datetime.now(dt.UTC)
    for task in tasks:
        task.answer, task.reason = _answer(accept), ("" if accept else reason[:255])
        task.answered_by, task.answered_at = actor, now
    ProposalTask.objects.bulk_update(tasks, ["answer", "reason", "answered_by", "answered_at"])


def _advance(proposal: Proposal, accept: bool) -> None:
    if not accept:
        proposal.status = ProposalStatus.DECLINED
    elif not proposal.tasks.exclude(answer=Answer.ACCEPT).exists():
        proposal.status = ProposalStatus.ACCEPTED
    else:
        return
    proposal.save(update_fields=["status", "updated_at"])


def _tell_declined(proposal: Proposal, department: Department, reason: str) -> None:
    title = f"联合检查建议被拒绝:{proposal.enterprise.name} {proposal.day:%Y-%m-%d}"
    body = f"{department.name}拒绝了该联合检查,理由:{reason}"
    link = reverse("joint:proposal_detail", args=[proposal.pk])
    notify_role(role=Role.OFFICE, title=title, body=body, link=link)


# --- capacity ------------------------------------------------------------------------------------------


@transaction.atomic
def set_capacity(*, actor: Any, department: Department, teams_per_day: int) -> DepartmentCapacity:
    """The office for any department, a department admin for its own."""
    role = getattr(actor, "role", None)
    if role != Role.OFFICE and not (role == Role.DEPT_ADMIN and actor.department_id == department.pk):
        raise JointError("只有联席会议办公室或本部门管理员可以设置部门每日检查能力。")
    if not isinstance(teams_per_day, int) or not 0 <= teams_per_day <= MAX_TEAMS:
        raise JointError(f"每日可派检查组数应为 0 至 {MAX_TEAMS} 之间的整数。")
    row = DepartmentCapacity.objects.select_for_update().filter(department=department).first()
    before = {"teams_per_day": row.teams_per_day} if row else None
    row = row or DepartmentCapacity(department=department)
    row.teams_per_day, row.updated_by = teams_per_day, actor
    row.save()
    after = {"department": department.name, "teams_per_day": teams_per_day}
    record_event(actor=actor, action="joint.set_capacity", target=row, before=before, after=after)
    return row
