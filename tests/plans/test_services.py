"""Plan services: drafting rules, the submission window (from the policy file), reviews, approval,
completion and work reports. "Today" is frozen with ``factories.freeze`` (monkeypatch)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.audit.models import AuditEvent
from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.calendar import Quarter, annual_random_plan_due, plan_window, work_report_due
from qijian.core.models import Notification
from qijian.core.testing import County
from qijian.enterprises.models import Industry
from qijian.org.models import Department
from qijian.oversight.models import Alert
from qijian.plans import queries
from qijian.plans.choices import PlanKind, PlanStatus, ReviewStatus
from qijian.plans.models import Plan
from qijian.plans.services import (
    PlanError,
    add_entry,
    approve_plan,
    create_plan,
    grant_extension,
    remove_entry,
    report_completion,
    return_plan,
    review_plan,
    submit_plan,
    submit_work_report,
    update_entry,
)
from tests.plans.factories import (
    QUARTER,
    approved_catalog,
    approved_plan,
    decision,
    draft_plan,
    entry_kwargs,
    first_entry,
    freeze,
    submitted_plan,
)

WINDOW = plan_window(QUARTER)
DAY = dt.timedelta(days=1)


@pytest.fixture
def items(county: County) -> dict[str, CatalogItem]:
    approved_catalog(county.other_dept, prefix="HB")
    return approved_catalog(county.dept)


def _admin(county: County) -> Any:
    return county.user("dept_admin")


# --- creating plans -------------------------------------------------------------------------------


def test_department_admin_creates_its_quarterly_plan_audited(county: County) -> None:
    plan = create_plan(actor=_admin(county), department=county.dept, year=2027, quarter=1)
    assert plan.status == PlanStatus.DRAFT and plan.kind == PlanKind.QUARTERLY
    assert AuditEvent.objects.filter(action="plans.create_plan", target_id=str(plan.pk)).exists()


def test_admin_of_another_department_cannot_create_its_plan(county: County) -> None:
    with pytest.raises(PlanError, match="本部门管理员"):
        create_plan(actor=county.user("dept_admin", other=True), department=county.dept, year=2027, quarter=1)
    assert not Plan.objects.exists()


def test_second_plan_for_the_same_quarter_is_refused(county: County) -> None:
    create_plan(actor=_admin(county), department=county.dept, year=2027, quarter=1)
    with pytest.raises(PlanError, match="已存在"):
        create_plan(actor=_admin(county), department=county.dept, year=2027, quarter=1)


def test_quarterly_plan_needs_a_quarter_and_annual_plan_has_none(county: County) -> None:
    with pytest.raises(PlanError, match="季度"):
        create_plan(actor=_admin(county), department=county.dept, year=2027, quarter=None)
    coordinator = county.user("random_coordinator")
    with pytest.raises(PlanError, match="不分季度"):
        create_plan(actor=coordinator, department=county.dept, year=2027, quarter=1, kind=PlanKind.ANNUAL_RANDOM)


def test_only_the_random_coordinator_creates_the_annual_random_plan(county: County) -> None:
    with pytest.raises(PlanError, match="县市场监管局"):
        create_plan(actor=_admin(county), department=county.dept, year=2027, quarter=None, kind="annual_random")
    plan = create_plan(
        actor=county.user("random_coordinator"), department=county.dept, year=2027, quarter=None, kind="annual_random"
    )
    assert plan.kind == PlanKind.ANNUAL_RANDOM and plan.quarter is None


# --- entries --------------------------------------------------------------------------------------


def _plan(county: County) -> Plan:
    return create_plan(actor=_admin(county), department=county.dept, year=QUARTER.year, quarter=QUARTER.number)


def test_entry_takes_basis_and_mode_from_its_catalog_item(county: County, items: dict[str, CatalogItem]) -> None:
    plan = _plan(county)
    entry = add_entry(actor=_admin(county), plan=plan, **entry_kwargs(county, items["targeted"]))
    assert entry.basis == "《中华人民共和国安全生产法》第六十五条"
    assert entry.mode == "targeted"
    assert list(entry.targets.all()) == [county.enterprise]
    assert AuditEvent.objects.filter(action="plans.add_entry").exists()


def test_item_outside_the_effective_catalog_is_refused_with_the_r04_message(
    county: County, items: dict[str, CatalogItem]
) -> None:
    draft = CatalogVersion.objects.create(department=county.dept, number=9, status="draft")
    stray = CatalogItem.objects.create(version=draft, code="YJ-999", name="未审定事项", law="某法", mode="random")
    with pytest.raises(PlanError, match="YJ-999 不在本部门现行有效的检查事项清单内"):
        add_entry(actor=_admin(county), plan=_plan(county), **entry_kwargs(county, stray))


def test_item_not_yet_effective_on_the_window_start_is_refused(county: County) -> None:
    later = approved_catalog(county.dept, effective_from=QUARTER.start + dt.timedelta(days=10))
    with pytest.raises(PlanError, match="不在本部门现行有效"):
        add_entry(actor=_admin(county), plan=_plan(county), **entry_kwargs(county, later["random"]))


def test_item_of_another_departments_catalog_is_refused(county: County, items: dict[str, CatalogItem]) -> None:
    other_item = CatalogItem.objects.get(code="HB-001")
    with pytest.raises(PlanError, match="不属于本部门"):
        add_entry(actor=_admin(county), plan=_plan(county), **entry_kwargs(county, other_item))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (QUARTER.start - DAY, QUARTER.start + DAY, "须在2027年第1季度内"),
        (QUARTER.end, QUARTER.end + DAY, "须在2027年第1季度内"),
        (QUARTER.start + DAY, QUARTER.start, "不能早于开始日期"),
    ],
)
def test_entry_window_must_lie_inside_the_quarter_in_order(
    county: County, items: dict[str, CatalogItem], start: dt.date, end: dt.date, message: str
) -> None:
    kwargs = entry_kwargs(county, items["random"], window_start=start, window_end=end)
    with pytest.raises(PlanError, match=message):
        add_entry(actor=_admin(county), plan=_plan(county), **kwargs)


def test_entry_window_may_span_the_whole_quarter(county: County, items: dict[str, CatalogItem]) -> None:
    kwargs = entry_kwargs(county, items["random"], window_start=QUARTER.start, window_end=QUARTER.end)
    assert add_entry(actor=_admin(county), plan=_plan(county), **kwargs).window_end == QUARTER.end


def test_expected_count_must_be_at_least_one(county: County, items: dict[str, CatalogItem]) -> None:
    with pytest.raises(PlanError, match="至少为 1"):
        add_entry(actor=_admin(county), plan=_plan(county), **entry_kwargs(county, items["random"], expected_count=0))


def test_joint_entry_needs_a_partner_other_than_the_own_department(
    county: County, items: dict[str, CatalogItem]
) -> None:
    plan = _plan(county)
    with pytest.raises(PlanError, match="至少选择一个联合部门"):
        add_entry(actor=_admin(county), plan=plan, **entry_kwargs(county, items["random"], joint=True))
    with pytest.raises(PlanError, match="不能包括本部门"):
        add_entry(
            actor=_admin(county), plan=plan, **entry_kwargs(county, items["random"], joint=True, partners=[county.dept])
        )
    entry = add_entry(
        actor=_admin(county),
        plan=plan,
        **entry_kwargs(county, items["random"], joint=True, partners=[county.other_dept]),
    )
    assert list(entry.partners.all()) == [county.other_dept]


def test_partners_without_joint_are_refused(county: County, items: dict[str, CatalogItem]) -> None:
    with pytest.raises(PlanError, match="未选择联合检查"):
        add_entry(
            actor=_admin(county),
            plan=_plan(county),
            **entry_kwargs(county, items["random"], partners=[county.other_dept]),
        )


def test_target_or_target_rule_is_required(county: County, items: dict[str, CatalogItem]) -> None:
    plan = _plan(county)
    with pytest.raises(PlanError, match="抽查范围与比例"):
        add_entry(actor=_admin(county), plan=plan, **entry_kwargs(county, items["random"], targets=[]))
    entry = add_entry(
        actor=_admin(county), plan=plan, **entry_kwargs(county, items["random"], targets=[], target_rule="抽取5%")
    )
    assert entry.target_rule == "抽取5%"


def test_closed_enterprise_cannot_be_a_target(county: County, items: dict[str, CatalogItem]) -> None:
    county.enterprise.status = "closed"
    county.enterprise.save(update_fields=["status"])
    with pytest.raises(PlanError, match="注销"):
        add_entry(actor=_admin(county), plan=_plan(county), **entry_kwargs(county, items["random"]))


def test_target_outside_the_items_industries_is_refused(county: County, items: dict[str, CatalogItem]) -> None:
    mining = Industry.objects.create(code="B", name="采矿业")
    items["random"].industries.set([mining])
    with pytest.raises(PlanError, match="不适用于 沧县甲公司"):
        add_entry(actor=_admin(county), plan=_plan(county), **entry_kwargs(county, items["random"]))


def test_superior_level_entry_needs_an_implementing_department_of_that_level(
    county: County, items: dict[str, CatalogItem]
) -> None:
    plan = _plan(county)
    with pytest.raises(PlanError, match="须填写实施部门"):
        add_entry(actor=_admin(county), plan=plan, **entry_kwargs(county, items["random"], level="province"))
    with pytest.raises(PlanError, match="不是省级部门"):
        add_entry(
            actor=_admin(county),
            plan=plan,
            **entry_kwargs(county, items["random"], level="province", implementing_department=county.other_dept),
        )
    province = Department.objects.create(name="省应急管理厅", code="HB-YJT", level="province", region=county.county)
    entry = add_entry(
        actor=_admin(county),
        plan=plan,
        **entry_kwargs(
            county, items["random"], level="province", implementing_department=province, multi_level_joint=True
        ),
    )
    assert entry.implementing_department == province and entry.multi_level_joint


def test_update_entry_validates_and_audits_before_and_after(county: County, items: dict[str, CatalogItem]) -> None:
    plan = _plan(county)
    entry = add_entry(actor=_admin(county), plan=plan, **entry_kwargs(county, items["random"]))
    with pytest.raises(PlanError, match="至少为 1"):
        update_entry(actor=_admin(county), entry=entry, expected_count=0)
    entry.refresh_from_db()
    assert entry.expected_count == 3
    update_entry(actor=_admin(county), entry=entry, item=items["targeted"], expected_count=7)
    entry.refresh_from_db()
    assert (entry.expected_count, entry.mode) == (7, "targeted")
    event = AuditEvent.objects.get(action="plans.update_entry")
    assert event.before["expected_count"] == 3 and event.after["expected_count"] == 7


def test_remove_entry_deletes_it_and_audits(county: County, items: dict[str, CatalogItem]) -> None:
    plan = draft_plan(county, items)
    remove_entry(actor=_admin(county), entry=first_entry(plan))
    assert plan.entries.count() == 1
    assert AuditEvent.objects.filter(action="plans.remove_entry").exists()


def test_submitted_plan_cannot_be_edited(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = submitted_plan(county, items, monkeypatch)
    with pytest.raises(PlanError, match="只有草稿或已退回"):
        add_entry(actor=_admin(county), plan=plan, **entry_kwargs(county, items["random"]))
    with pytest.raises(PlanError, match="只有草稿或已退回"):
        remove_entry(actor=_admin(county), entry=first_entry(plan))


def test_other_roles_cannot_edit_a_quarterly_plan(county: County, items: dict[str, CatalogItem]) -> None:
    plan = _plan(county)
    for actor in (county.user("office"), county.user("dept_admin", other=True), county.user("inspector")):
        with pytest.raises(PlanError):
            add_entry(actor=actor, plan=plan, **entry_kwargs(county, items["random"]))
    assert not plan.entries.exists()


# --- submission window ----------------------------------------------------------------------------


def test_plan_without_entries_cannot_be_submitted(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, WINDOW.opens)
    with pytest.raises(PlanError, match="至少应有一个条目"):
        submit_plan(actor=_admin(county), plan=_plan(county))


def test_submission_before_the_window_opens_names_the_window(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = draft_plan(county, items)
    freeze(monkeypatch, WINDOW.opens - DAY)
    with pytest.raises(PlanError, match=f"未到报送时间\\(报送期为{WINDOW.label}\\)"):
        submit_plan(actor=_admin(county), plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not Alert.objects.exists()


@pytest.mark.parametrize("day", [WINDOW.opens, WINDOW.closes])
def test_submission_on_the_first_and_last_day_of_the_window_is_accepted(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch, day: dt.date
) -> None:
    plan = draft_plan(county, items)
    freeze(monkeypatch, day)
    plan = submit_plan(actor=_admin(county), plan=plan)
    assert plan.status == PlanStatus.SUBMITTED and not plan.late and plan.submitted_at is not None
    assert not Alert.objects.exists()


def test_window_length_comes_from_the_policy_file(settings: Any) -> None:
    from qijian.policy.loader import figure

    days = int(figure("plan_window.days_before_quarter_end"))
    assert (WINDOW.closes - WINDOW.opens).days + 1 == days
    assert WINDOW.closes == QUARTER.start - DAY


def test_submission_after_the_window_is_refused_and_raises_r11(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = draft_plan(county, items)
    freeze(monkeypatch, WINDOW.closes + DAY)
    with pytest.raises(PlanError, match=r"报送期已于.*截止"):
        submit_plan(actor=_admin(county), plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    alert = Alert.objects.get()
    assert alert.rule == "R11" and alert.dedup_key == f"R11:plan:{county.dept.pk}:2027Q1" and alert.plan == plan
    with pytest.raises(PlanError):
        submit_plan(actor=_admin(county), plan=plan)
    assert Alert.objects.count() == 1


def test_extension_lets_a_late_plan_in_marked_late_with_one_r11_alert(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = draft_plan(county, items)
    late_day = WINDOW.closes + 2 * DAY
    freeze(monkeypatch, late_day)
    with pytest.raises(PlanError):
        submit_plan(actor=_admin(county), plan=plan)
    grant_extension(actor=county.user("office"), plan=plan, until=late_day + DAY, reason="机构改革交接")
    plan = submit_plan(actor=_admin(county), plan=plan)
    assert plan.status == PlanStatus.SUBMITTED and plan.late
    assert Alert.objects.filter(rule="R11").count() == 1


def test_late_submission_within_an_extension_raises_r11(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = draft_plan(county, items)
    freeze(monkeypatch, WINDOW.closes)
    grant_extension(actor=county.user("office"), plan=plan, until=WINDOW.closes + 5 * DAY, reason="系统故障")
    freeze(monkeypatch, WINDOW.closes + 5 * DAY)
    assert submit_plan(actor=_admin(county), plan=plan).late
    assert "逾期报送" in Alert.objects.get(rule="R11").message


def test_expired_extension_does_not_let_the_plan_in(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = draft_plan(county, items)
    freeze(monkeypatch, WINDOW.closes)
    grant_extension(actor=county.user("office"), plan=plan, until=WINDOW.closes + DAY, reason="系统故障")
    freeze(monkeypatch, WINDOW.closes + 2 * DAY)
    with pytest.raises(PlanError, match="未经联席会议办公室批准延期"):
        submit_plan(actor=_admin(county), plan=plan)


def test_only_the_office_grants_an_extension_with_a_reason(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = draft_plan(county, items)
    freeze(monkeypatch, WINDOW.closes)
    with pytest.raises(PlanError, match="联席会议办公室"):
        grant_extension(actor=_admin(county), plan=plan, until=WINDOW.closes + DAY, reason="x")
    with pytest.raises(PlanError, match="延期原因"):
        grant_extension(actor=county.user("office"), plan=plan, until=WINDOW.closes + DAY, reason=" ")
    with pytest.raises(PlanError, match="不能早于今天"):
        grant_extension(actor=county.user("office"), plan=plan, until=WINDOW.closes - DAY, reason="x")


def test_submission_sets_reviews_by_the_entries_modes_and_notifies(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan(county)
    add_entry(actor=_admin(county), plan=plan, **entry_kwargs(county, items["targeted"]))
    freeze(monkeypatch, WINDOW.opens)
    plan = submit_plan(actor=_admin(county), plan=plan)
    assert (plan.random_review, plan.targeted_review) == (ReviewStatus.NOT_NEEDED, ReviewStatus.PENDING)
    assert Notification.objects.filter(recipient=county.user("supervisor")).exists()
    assert not Notification.objects.filter(recipient=county.user("random_coordinator")).exists()
    assert Notification.objects.filter(recipient=county.user("office")).exists()


# --- review, approval, return ---------------------------------------------------------------------


def test_both_reviews_passed_makes_the_plan_reviewed_and_tells_the_office(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = submitted_plan(county, items, monkeypatch)
    plan = review_plan(actor=county.user("random_coordinator"), plan=plan, passed=True)
    assert plan.status == PlanStatus.SUBMITTED and plan.random_review == ReviewStatus.PASSED
    with pytest.raises(PlanError, match="没有待您审核"):
        review_plan(actor=county.user("random_coordinator"), plan=plan, passed=True)
    plan = review_plan(actor=county.user("supervisor", other=True), plan=plan, passed=True)
    assert plan.status == PlanStatus.REVIEWED
    assert plan.targeted_reviewed_by == county.user("supervisor", other=True)
    assert Notification.objects.filter(recipient=county.user("office"), title__contains="审核通过").exists()


def test_reviewer_returns_with_a_comment_and_the_department_is_told(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = submitted_plan(county, items, monkeypatch)
    with pytest.raises(PlanError, match="退回意见"):
        review_plan(actor=county.user("supervisor"), plan=plan, passed=False)
    plan = review_plan(actor=county.user("supervisor"), plan=plan, passed=False, comment="检查对象过多")
    assert plan.status == PlanStatus.RETURNED and plan.return_comment == "检查对象过多"
    assert plan.targeted_review == ReviewStatus.RETURNED
    assert Notification.objects.filter(recipient=_admin(county), body="检查对象过多").exists()
    assert not Notification.objects.filter(recipient=county.user("dept_admin", other=True)).exists()


def test_resubmission_of_a_returned_plan_resets_the_reviews(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = submitted_plan(county, items, monkeypatch)
    review_plan(actor=county.user("random_coordinator"), plan=plan, passed=True)
    review_plan(actor=county.user("supervisor"), plan=plan, passed=False, comment="补充依据")
    update_entry(actor=_admin(county), entry=first_entry(plan), note="已补充")
    freeze(monkeypatch, WINDOW.closes + 3 * DAY)  # a returned plan is resubmitted whenever it is fixed
    plan = submit_plan(actor=_admin(county), plan=plan)
    assert plan.status == PlanStatus.SUBMITTED and not plan.late and plan.return_comment == ""
    assert plan.random_review == plan.targeted_review == ReviewStatus.PENDING
    assert plan.random_reviewed_by is None


def test_department_admin_cannot_review(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = submitted_plan(county, items, monkeypatch)
    with pytest.raises(PlanError, match="审核"):
        review_plan(actor=_admin(county), plan=plan, passed=True)


def test_office_approves_a_reviewed_plan_with_a_plan_decision(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = approved_plan(county, items, monkeypatch)
    assert plan.status == PlanStatus.APPROVED and plan.approved_at is not None and plan.decision is not None
    assert AuditEvent.objects.filter(action="plans.approve_plan").exists()


def test_approval_needs_the_reviews_and_a_decision_on_plans(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = submitted_plan(county, items, monkeypatch)
    office = county.user("office")
    with pytest.raises(PlanError, match="须审核通过后"):
        approve_plan(actor=office, plan=plan, decision=decision(county))
    review_plan(actor=county.user("random_coordinator"), plan=plan, passed=True)
    review_plan(actor=county.user("supervisor"), plan=plan, passed=True)
    with pytest.raises(PlanError, match="“检查计划”的会议决定"):
        approve_plan(actor=office, plan=plan, decision=decision(county, "catalog"))
    with pytest.raises(PlanError, match="联席会议办公室"):
        approve_plan(actor=county.user("supervisor"), plan=plan, decision=decision(county))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVIEWED


def test_office_returns_a_reviewed_plan_with_a_comment(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = submitted_plan(county, items, monkeypatch)
    with pytest.raises(PlanError, match="退回意见"):
        return_plan(actor=county.user("office"), plan=plan, comment="")
    plan = return_plan(actor=county.user("office"), plan=plan, comment="与联合检查计划重复")
    assert plan.status == PlanStatus.RETURNED
    with pytest.raises(PlanError, match="不能退回"):
        return_plan(actor=county.user("office"), plan=plan, comment="again")


# --- the annual random plan -----------------------------------------------------------------------


def _annual(county: County) -> Plan:
    return create_plan(
        actor=county.user("random_coordinator"), department=county.dept, year=2027, quarter=None, kind="annual_random"
    )


def test_annual_random_plan_takes_only_random_items_over_the_year(
    county: County, items: dict[str, CatalogItem]
) -> None:
    plan, coordinator = _annual(county), county.user("random_coordinator")
    with pytest.raises(PlanError, match="只能列入“双随机”"):
        add_entry(actor=coordinator, plan=plan, **entry_kwargs(county, items["targeted"]))
    other = CatalogItem.objects.get(code="HB-001")  # any department's random item
    kwargs = entry_kwargs(county, other, window_start=dt.date(2027, 3, 1), window_end=dt.date(2027, 11, 30))
    assert add_entry(actor=coordinator, plan=plan, **kwargs).mode == "random"
    with pytest.raises(PlanError, match="年度双随机检查计划由"):
        add_entry(actor=_admin(county), plan=plan, **kwargs)


def test_annual_random_plan_window_runs_from_december_to_the_policy_due_date(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, coordinator = _annual(county), county.user("random_coordinator")
    add_entry(actor=coordinator, plan=plan, **entry_kwargs(county, items["random"]))
    freeze(monkeypatch, dt.date(2026, 11, 30))
    with pytest.raises(PlanError, match="未到报送时间"):
        submit_plan(actor=coordinator, plan=plan)
    freeze(monkeypatch, annual_random_plan_due(2027) + DAY)
    with pytest.raises(PlanError, match="截止"):
        submit_plan(actor=coordinator, plan=plan)
    assert Alert.objects.get().dedup_key == f"R11:random_plan:{county.dept.pk}:2027"
    freeze(monkeypatch, annual_random_plan_due(2027))
    plan = submit_plan(actor=coordinator, plan=plan)
    assert plan.status == PlanStatus.SUBMITTED and plan.random_review == ReviewStatus.PASSED
    plan = approve_plan(actor=county.user("office"), plan=plan, decision=decision(county, "annual_random_plan"))
    assert plan.status == PlanStatus.APPROVED


# --- completion -----------------------------------------------------------------------------------

COUNTS: dict[str, Any] = {
    "actual_count": 3,
    "joint_count": 1,
    "remote_count": 0,
    "problem_count": 1,
    "no_penalty_count": 1,
    "reduced_penalty_count": 0,
    "no_coercion_count": 0,
}


def test_completion_is_reported_from_the_next_quarters_window(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = approved_plan(county, items, monkeypatch)
    opens = plan_window(QUARTER.next()).opens
    freeze(monkeypatch, opens - DAY)
    with pytest.raises(PlanError, match="完成情况自"):
        report_completion(actor=_admin(county), entry=first_entry(plan), completion="done", **COUNTS)
    freeze(monkeypatch, opens)
    entry = report_completion(actor=_admin(county), entry=first_entry(plan), completion="done", **COUNTS)
    assert entry.completion == "done" and entry.actual_count == 3
    plan.refresh_from_db()
    assert plan.completion_reported_at is None  # one entry still open
    last = plan.entries.order_by("-id").first()
    assert last is not None
    report_completion(actor=_admin(county), entry=last, completion="partly", reason="企业停产", **COUNTS)
    plan.refresh_from_db()
    assert plan.completion_reported_at is not None


@pytest.mark.parametrize(
    ("completion", "counts", "reason", "message"),
    [
        ("done", {"joint_count": 4}, "", "联合检查户次不能超过"),
        ("done", {"remote_count": 4}, "", "非现场检查户次不能超过"),
        ("done", {"problem_count": 4}, "", "发现问题户次不能超过"),
        ("done", {"no_penalty_count": -1}, "", "不能为负数"),
        ("not_done", {}, "", "须填写原因"),
        ("finished", {}, "", "完成情况应为"),
    ],
)
def test_completion_counts_are_checked(
    county: County,
    items: dict[str, CatalogItem],
    monkeypatch: pytest.MonkeyPatch,
    completion: str,
    counts: dict[str, Any],
    reason: str,
    message: str,
) -> None:
    plan = approved_plan(county, items, monkeypatch)
    freeze(monkeypatch, plan_window(QUARTER.next()).opens)
    with pytest.raises(PlanError, match=message):
        report_completion(
            actor=_admin(county), entry=first_entry(plan), completion=completion, reason=reason, **(COUNTS | counts)
        )
    assert first_entry(plan).completion == ""


def test_completion_needs_an_approved_plan(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = submitted_plan(county, items, monkeypatch)
    with pytest.raises(PlanError, match="已审定"):
        report_completion(actor=_admin(county), entry=first_entry(plan), completion="done", **COUNTS)


# --- work reports ---------------------------------------------------------------------------------

REPORTED = Quarter(2026, 3)


def test_work_report_on_time_is_not_late(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, work_report_due(REPORTED))
    report = submit_work_report(actor=_admin(county), department=county.dept, year=2026, quarter=3, text="开展检查12次")
    assert not report.late and not Alert.objects.exists()
    with pytest.raises(PlanError, match="已报送"):
        submit_work_report(actor=_admin(county), department=county.dept, year=2026, quarter=3, text="again")


def test_late_work_report_is_kept_and_raises_r11(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, work_report_due(REPORTED) + DAY)
    report = submit_work_report(actor=_admin(county), department=county.dept, year=2026, quarter=3, text="迟报")
    assert report.late
    assert Alert.objects.get().dedup_key == f"R11:work_report:{county.dept.pk}:2026Q3"


def test_work_report_before_the_quarter_closes_is_refused(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, plan_window(REPORTED.next()).opens - DAY)
    with pytest.raises(PlanError, match="起报送"):
        submit_work_report(actor=_admin(county), department=county.dept, year=2026, quarter=3, text="早报")


def test_work_report_only_by_the_departments_admin(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, work_report_due(REPORTED))
    for actor in (county.user("dept_admin", other=True), county.user("office")):
        with pytest.raises(PlanError, match="本部门管理员"):
            submit_work_report(actor=actor, department=county.dept, year=2026, quarter=3, text="x")


# --- queries --------------------------------------------------------------------------------------


def test_approved_entries_for_filing_cover_the_day_and_the_department(
    county: County, items: dict[str, CatalogItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = approved_plan(county, items, monkeypatch)
    admin = _admin(county)
    assert queries.approved_entries_for_filing(admin, QUARTER.start).count() == 2
    assert not queries.approved_entries_for_filing(admin, QUARTER.start + dt.timedelta(days=31)).exists()
    assert not queries.approved_entries_for_filing(county.user("dept_admin", other=True), QUARTER.start).exists()
    assert queries.entry_is_approved(first_entry(plan))


def test_draft_entries_are_not_offered_for_filing(county: County, items: dict[str, CatalogItem]) -> None:
    plan = draft_plan(county, items)
    assert not queries.approved_entries_for_filing(_admin(county), QUARTER.start).exists()
    assert not queries.entry_is_approved(first_entry(plan))


def test_plans_for_scopes_department_roles_to_their_department(county: County, items: dict[str, CatalogItem]) -> None:
    draft_plan(county, items)
    assert queries.plans_for(_admin(county)).count() == 1
    assert queries.plans_for(county.user("inspector")).count() == 1
    assert queries.plans_for(county.user("dept_admin", other=True)).count() == 0
    assert queries.plans_for(county.user("supervisor", other=True)).count() == 1
    assert queries.plans_for(county.user("enterprise")).count() == 0


def test_annual_plan_offers_random_items_of_every_departments_catalog(
    county: County, items: dict[str, CatalogItem]
) -> None:
    codes = set(queries.catalog_items_for(_annual(county)).values_list("code", flat=True))
    assert codes == {"YJ-001", "HB-001"}
    assert set(queries.catalog_items_for(_plan(county)).values_list("code", flat=True)) == {"YJ-001", "YJ-002"}
