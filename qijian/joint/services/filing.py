"""An accepted joint visit becomes ONE joint filing (Filing.joint=True) led by the lead department.

The filing goes through the inspections services' own checks (``_check_people``: enterprise
operating, item applies, R03 enough certified inspectors of the lead or partner departments, 回避)
and writer (``_file``: numbered, audited, the office told, oversight checks run). What a proposal does
not carry is chosen lawfully (docs/joint.md):
- filer: the lead department's admin — the one who accepted for it (the trigger, when that is the lead's
  admin; otherwise the lead's answerer, who agreed to lead the visit);
- window: the visit day, [joint] visit_start_hour to visit_end_hour local time (before it starts: no
  late filing);
- item: the lead task's item in force that day; plan entry: the lead task's entry (targets checked);
- inspectors: for a drawn visit its drawn team; otherwise each department's active inspectors certified
  on the day and not in conflict with the enterprise, lowest id first, as many as its tasks need,
  topped up from the lead department to the policy's on-site minimum.
If the filing is refused, the proposal stays ACCEPTED with the reason; the lead admin can file it again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from qijian.accounts.choices import Role
from qijian.audit.services import record_event
from qijian.catalog.choices import InspectionMethod
from qijian.core.calendar import local_zone
from qijian.inspections import services as filings
from qijian.inspections.choices import FilingKind
from qijian.inspections.models import Filing
from qijian.joint.choices import ProposalStatus, TaskSource
from qijian.joint.models import Proposal, ProposalTask
from qijian.joint.services.errors import JointError
from qijian.org.models import Conflict, Inspector
from qijian.policy.loader import figure


def visit_window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = local_zone()
    start = dt.datetime.combine(day, dt.time(int(figure("joint.visit_start_hour"))), tzinfo=zone)
    end = dt.datetime.combine(day, dt.time(int(figure("joint.visit_end_hour"))), tzinfo=zone)
    return start, end


def _tasks(proposal: Proposal) -> list[ProposalTask]:
    rows = proposal.tasks.select_related("department", "item", "plan_entry", "draw_result", "answered_by")
    return list(rows.order_by("id"))


def _lead_task(proposal: Proposal, tasks: list[ProposalTask]) -> ProposalTask:
    mine = [t for t in tasks if t.department_id == proposal.lead_department_id]
    return min(mine, key=lambda t: (t.source != TaskSource.PLAN_ENTRY, t.pk))


def _filer(proposal: Proposal, lead: ProposalTask, trigger: Any) -> Any:
    if getattr(trigger, "role", None) == Role.DEPT_ADMIN and trigger.department_id == proposal.lead_department_id:
        return trigger
    return lead.answered_by


def _eligible(department_id: int, day: dt.date, enterprise_id: int) -> list[Inspector]:
    conflicted = Conflict.objects.filter(enterprise_id=enterprise_id).values("inspector_id")
    rows = Inspector.objects.filter(department_id=department_id, status="active").exclude(pk__in=conflicted)
    return [i for i in rows.select_related("department").order_by("id") if i.is_certified_on(day)]


def _drawn_team(task: ProposalTask) -> list[Inspector]:
    if task.source != TaskSource.DRAW_RESULT or task.draw_result is None:
        return []
    return [i for i in task.draw_result.team.all() if i.department_id == task.department_id]


def pick_inspectors(proposal: Proposal, tasks: list[ProposalTask]) -> list[Inspector]:
    chosen: list[Inspector] = []
    for department_id in sorted({t.department_id for t in tasks}):
        mine = [t for t in tasks if t.department_id == department_id]
        drawn = [i for t in mine for i in _drawn_team(t)]
        need = max(t.inspectors for t in mine)
        chosen += drawn or _eligible(department_id, proposal.day, proposal.enterprise_id)[:need]
    minimum = int(figure("inspectors.min_on_site"))
    spare = [i for i in _eligible(proposal.lead_department_id, proposal.day, proposal.enterprise_id) if i not in chosen]
    chosen += spare[: max(0, minimum - len(chosen))]
    return list(dict.fromkeys(chosen))


def _facts(proposal: Proposal, tasks: list[ProposalTask], lead: ProposalTask) -> filings.Facts:
    start, end = visit_window(proposal.day)
    filings._check_future_window(start, end, filings._now())
    partners = sorted(
        {t.department for t in tasks if t.department_id != proposal.lead_department_id}, key=lambda d: d.pk
    )
    return filings.Facts(
        department=proposal.lead_department,
        kind=FilingKind.PLANNED,
        item=filings.effective_item(lead.item, proposal.lead_department_id, proposal.day),
        enterprises=[proposal.enterprise],
        inspectors=pick_inspectors(proposal, tasks),
        window_start=start,
        window_end=end,
        method=InspectionMethod.ONSITE,
        plan_entry=lead.plan_entry,
        joint=True,
        partners=partners,
    )


def _targets(lead: ProposalTask) -> list[Any]:
    if lead.source == TaskSource.PLAN_ENTRY and lead.plan_entry is not None:
        return list(lead.plan_entry.targets.all())
    return []


def _file(proposal: Proposal, filer: Any) -> Filing:
    tasks = _tasks(proposal)
    lead = _lead_task(proposal, tasks)
    facts = _facts(proposal, tasks, lead)
    filings._check_people(facts, targets=_targets(lead))
    items = "、".join(sorted({f"{t.department.name}:{t.item.code}" for t in tasks}))
    facts.reason_detail = f"综合查一次联合检查,合并事项:{items}"[:2000]
    return filings._file(filer, facts, action="joint.file_proposal", headline="联合检查报备(综合查一次)")


def _mark_filed(proposal: Proposal, filing: Filing, actor: Any) -> None:
    proposal.status, proposal.filing, proposal.filing_error = ProposalStatus.FILED, filing, ""
    proposal.save(update_fields=["status", "filing", "filing_error", "updated_at"])
    after = {"status": proposal.status, "filing": filing.number}
    record_event(actor=actor, action="joint.proposal_filed", target=proposal, after=after)


def try_file(proposal: Proposal, *, trigger: Any) -> Filing | None:
    """File an accepted proposal; a refusal is kept on the proposal (status stays ACCEPTED)."""
    lead = _lead_task(proposal, _tasks(proposal))
    filer = _filer(proposal, lead, trigger)
    try:
        with transaction.atomic():
            filing = _file(proposal, filer)
    except filings.FilingError as exc:
        proposal.filing_error = str(exc)[:500]
        proposal.save(update_fields=["filing_error", "updated_at"])
        after = {"filing_error": proposal.filing_error, "filer": getattr(filer, "username", "")}
        record_event(actor=trigger, action="joint.file_refused", target=proposal, after=after)
        return None
    _mark_filed(proposal, filing, trigger)
    return filing


@transaction.atomic
def file_proposal(*, actor: Any, proposal: Proposal) -> Filing:
    """The lead department's admin files an accepted proposal again (after fixing what was refused)."""
    proposal = Proposal.objects.select_for_update().select_related("enterprise", "lead_department").get(pk=proposal.pk)
    if getattr(actor, "role", None) != Role.DEPT_ADMIN or actor.department_id != proposal.lead_department_id:
        raise JointError(f"只有牵头部门({proposal.lead_department.name})的部门管理员可以办理联合报备。")
    if proposal.status != ProposalStatus.ACCEPTED:
        raise JointError(f"该联合检查建议当前为“{proposal.get_status_display()}”状态,不能报备。")
    try:
        filing = _file(proposal, actor)
    except filings.FilingError as exc:
        raise JointError(str(exc)) from exc
    _mark_filed(proposal, filing, actor)
    return filing
