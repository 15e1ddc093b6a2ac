"""Access-matrix rows of this app's routes (see tests/access_rules/__init__.py).

Plans and work reports: overseers read every department's, department admins and inspectors their own
department's. The workflow POSTs are open to the role whose step it is; the service refuses anything else.
"""

from __future__ import annotations

from qijian.core.calendar import Quarter, local_today
from qijian.core.testing import County
from qijian.plans import services
from tests.access_rules_base import Rule, _pk, api, page, roles
from tests.plans.factories import approved_catalog, entry_kwargs

PLAN_READERS = roles("office", "supervisor", "random_coordinator", "dept_admin", "inspector")
DEPT_SCOPED = roles("dept_admin", "inspector")
DEPT_ADMIN = roles("dept_admin")
EDITORS = roles("dept_admin", "random_coordinator")
REVIEWERS = roles("supervisor", "random_coordinator")
OFFICE = roles("office")


def _plan_marker(c: County) -> str:
    return c.dept.name


def _entry_marker(c: County) -> str:
    return c.plan_entry.target_rule  # type: ignore[attr-defined,no-any-return]


def _report_marker(c: County) -> str:
    return c.work_report.text  # type: ignore[attr-defined,no-any-return]


_PLAN = _pk("plan")
_ENTRY = _pk("plan_entry")

TABLE: dict[str, Rule] = {
    # --- pages ----------------------------------------------------------------------------------------
    "plans:plan_list": page(PLAN_READERS, scoped=DEPT_SCOPED, marker=_plan_marker),
    "plans:plan_create": page(EDITORS, writers=EDITORS),
    "plans:plan_detail": page(PLAN_READERS, scoped=DEPT_SCOPED, obj=_PLAN),
    "plans:entry_create": page(DEPT_ADMIN, scoped=DEPT_ADMIN, obj=_PLAN, writers=DEPT_ADMIN),
    "plans:target_search": page(EDITORS, query="?q=沧县"),
    "plans:entry_edit": page(DEPT_ADMIN, scoped=DEPT_ADMIN, obj=_ENTRY, writers=DEPT_ADMIN),
    "plans:entry_delete": page(PLAN_READERS, scoped=DEPT_SCOPED, obj=_ENTRY, writers=DEPT_ADMIN, post_only=True),
    "plans:entry_completion": page(DEPT_ADMIN, scoped=DEPT_ADMIN, obj=_ENTRY, writers=DEPT_ADMIN),
    "plans:plan_submit": page(PLAN_READERS, scoped=DEPT_SCOPED, obj=_PLAN, writers=EDITORS, post_only=True),
    "plans:plan_review": page(PLAN_READERS, scoped=DEPT_SCOPED, obj=_PLAN, writers=REVIEWERS, post_only=True),
    "plans:plan_approve": page(PLAN_READERS, scoped=DEPT_SCOPED, obj=_PLAN, writers=OFFICE, post_only=True),
    "plans:plan_return": page(PLAN_READERS, scoped=DEPT_SCOPED, obj=_PLAN, writers=OFFICE, post_only=True),
    "plans:plan_extension": page(PLAN_READERS, scoped=DEPT_SCOPED, obj=_PLAN, writers=OFFICE, post_only=True),
    "plans:work_report_list": page(PLAN_READERS, scoped=DEPT_SCOPED, marker=_report_marker),
    "plans:work_report_create": page(DEPT_ADMIN, writers=DEPT_ADMIN),
    # --- 附件2/附件5 tables (qijian/plans/tables): overseers download, the department admin also uploads ---
    "plans:table_export": page(
        roles("office", "supervisor", "random_coordinator", "dept_admin"),
        scoped=DEPT_ADMIN,
        obj=lambda c: {"pk": c.plan.pk, "table": "2-1", "fmt": "xlsx"},  # type: ignore[attr-defined]
    ),
    "plans:table_import": page(
        DEPT_ADMIN,
        scoped=DEPT_ADMIN,
        obj=lambda c: {"pk": c.plan.pk, "table": "2-1"},  # type: ignore[attr-defined]
        writers=DEPT_ADMIN,
    ),
    # An import's error report belongs to the session that uploaded the table: everyone else gets 404.
    "plans:table_import_report": page(roles(), obj=lambda c: {"token": "0" * 32}),
    "plans:table_county": page(roles("office", "supervisor", "random_coordinator")),
    "plans:table_county_export": page(
        roles("office", "supervisor", "random_coordinator"),
        obj=lambda c: {"year": c.plan.year, "quarter": c.plan.quarter},  # type: ignore[attr-defined]
    ),
    # --- API ------------------------------------------------------------------------------------------
    "api:plan-list": api(PLAN_READERS, scoped=DEPT_SCOPED, marker=_plan_marker, writers=EDITORS),
    "api:plan-detail": api(PLAN_READERS, scoped=DEPT_SCOPED, obj=_PLAN),
    "api:plan-submit": api(PLAN_READERS, scoped=DEPT_SCOPED, obj=_PLAN, writers=EDITORS, post_only=True),
    "api:plan-review": api(PLAN_READERS, scoped=DEPT_SCOPED, obj=_PLAN, writers=REVIEWERS, post_only=True),
    "api:plan-approve": api(PLAN_READERS, scoped=DEPT_SCOPED, obj=_PLAN, writers=OFFICE, post_only=True),
    "api:plan-return": api(PLAN_READERS, scoped=DEPT_SCOPED, obj=_PLAN, writers=OFFICE, post_only=True),
    "api:plan-extension": api(PLAN_READERS, scoped=DEPT_SCOPED, obj=_PLAN, writers=OFFICE, post_only=True),
    "api:planentry-list": api(PLAN_READERS, scoped=DEPT_SCOPED, marker=_entry_marker, writers=EDITORS),
    "api:planentry-detail": api(PLAN_READERS, scoped=DEPT_SCOPED, obj=_ENTRY, writers=EDITORS),
    "api:planentry-completion": api(PLAN_READERS, scoped=DEPT_SCOPED, obj=_ENTRY, writers=EDITORS, post_only=True),
    "api:workreport-list": api(PLAN_READERS, scoped=DEPT_SCOPED, marker=_report_marker, writers=DEPT_ADMIN),
    "api:workreport-detail": api(PLAN_READERS, scoped=DEPT_SCOPED, obj=_pk("work_report")),
}


def populate(county: County) -> None:
    """A draft plan of the first department for next quarter with one entry, and a work report."""
    admin = county.user("dept_admin")
    quarter = Quarter.of(local_today()).next()
    items = approved_catalog(county.dept, prefix="MX", effective_from=quarter.start)
    plan = services.create_plan(actor=admin, department=county.dept, year=quarter.year, quarter=quarter.number)
    kwargs = entry_kwargs(county, items["random"], quarter, targets=[], target_rule="matrix-抽查规则")
    county.plan = plan  # type: ignore[attr-defined]
    county.plan_entry = services.add_entry(actor=admin, plan=plan, **kwargs)  # type: ignore[attr-defined]
    last = Quarter.of(local_today()).previous()
    county.work_report = services.submit_work_report(  # type: ignore[attr-defined]
        actor=admin, department=county.dept, year=last.year, quarter=last.number, text="matrix-工作情况"
    )
