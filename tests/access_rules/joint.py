"""Access-matrix rows of the joint-visit workflow (综合查一次, docs/joint.md).

The office and the other overseers read every proposal, run and unplannable task; a department admin
only the proposals its department has a task in and its own unplannable tasks. Only the office runs
the planner; only department admins answer (their own proposals) and file (as the lead department);
the office and department admins set capacities.
"""

from __future__ import annotations

import datetime as dt

from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.testing import County
from qijian.joint.models import PlanningRun, Proposal, ProposalTask, Unplanned
from tests.access_rules_base import _pk, api, page, roles

READERS = roles("office", "supervisor", "random_coordinator", "dept_admin")
DEPT = roles("dept_admin")
OFFICE = roles("office")
MARKER = "矩阵联合建议甲部门专用"
REASON = "矩阵无法规划甲部门专用"
PROPOSAL = _pk("joint_proposal")


def _marker(county: County) -> str:
    return MARKER


def _reason(county: County) -> str:
    return REASON


TABLE = {
    "joint:proposal_list": page(READERS, scoped=DEPT, marker=_marker),
    "joint:run": page(READERS, writers=OFFICE, post_only=True),
    "joint:proposal_detail": page(READERS, scoped=DEPT, obj=PROPOSAL),
    "joint:proposal_answer": page(READERS, scoped=DEPT, obj=PROPOSAL, writers=DEPT, post_only=True),
    "joint:proposal_file": page(READERS, scoped=DEPT, obj=PROPOSAL, writers=DEPT, post_only=True),
    "joint:enterprise_calendar": page(READERS, obj=_pk("enterprise")),
    "joint:unplanned_list": page(READERS, scoped=DEPT, marker=_reason),
    "joint:share": page(READERS),
    "joint:capacity": page(READERS, writers=roles("office", "dept_admin")),
    "api:jointproposal-list": api(READERS, scoped=DEPT, marker=_marker),
    "api:jointproposal-detail": api(READERS, scoped=DEPT, obj=PROPOSAL),
    "api:jointproposal-answer": api(READERS, scoped=DEPT, obj=PROPOSAL, writers=DEPT, post_only=True),
    "api:jointproposal-file": api(READERS, scoped=DEPT, obj=PROPOSAL, writers=DEPT, post_only=True),
    "api:jointrun-list": api(READERS, writers=OFFICE),
    "api:jointrun-detail": api(READERS, obj=_pk("joint_run")),
    "api:jointrun-share": api(READERS),
    "api:jointunplanned-list": api(READERS, scoped=DEPT, marker=_reason),
    "api:jointunplanned-detail": api(READERS, scoped=DEPT, obj=_pk("joint_unplanned")),
}


def populate(county: County) -> None:
    """A run with one proposal and one unplannable task of the first department only (written directly:
    the services are tested in tests/joint)."""
    version = CatalogVersion.objects.create(
        department=county.dept, number=90, status="approved", effective_from=dt.date(2026, 1, 1)
    )
    item = CatalogItem.objects.create(
        version=version,
        code="JM-001",
        name="矩阵联合事项",
        law="《优化营商环境条例》",
        article="第五十四条",
        mode="targeted",
    )
    run = PlanningRun.objects.create(
        quarter="2027Q1",
        run_by=county.user("office"),
        ran_at=dt.datetime.now(dt.UTC),
        algorithm_version="matrix",
        task_count=2,
        tasks_planned=1,
        visit_count=1,
        lower_bound=1,
        visits_saved=0,
        unplannable_count=1,
    )
    day = dt.date(2027, 1, 12)
    proposal = Proposal.objects.create(
        run=run,
        quarter="2027Q1",
        enterprise=county.enterprise,
        day=day,
        lead_department=county.dept,
        filing_error=MARKER,
    )
    window = {"department": county.dept, "item": item, "source": "plan_entry", "window_start": day, "window_end": day}
    ProposalTask.objects.create(proposal=proposal, **window)
    unplanned = Unplanned.objects.create(run=run, enterprise=county.enterprise, reason=REASON, **window)
    county.joint_run, county.joint_proposal, county.joint_unplanned = run, proposal, unplanned  # type: ignore[attr-defined]
