"""Plan pages: who sees what, the role's buttons, forms that call the services, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qijian.catalog.models import CatalogItem
from qijian.core.calendar import Quarter, plan_window, work_report_due
from qijian.core.testing import County, login_verified
from qijian.plans.choices import PlanStatus
from qijian.plans.models import Plan, PlanEntry, WorkReport
from qijian.plans.services import create_plan, review_plan
from tests.plans.factories import (
    QUARTER,
    approved_catalog,
    approved_plan,
    decision,
    draft_plan,
    first_entry,
    freeze,
    submitted_plan,
)

LIST_QUERIES = 5  # middleware (session, user, OTP device, idle stamp) + one page of rows (entry counts joined)
DETAIL_QUERIES = 8  # middleware + plan + entries + partners + targets + timeline, whatever the entries


def _client(county: County, role: str, *, other: bool = False) -> Client:
    client = Client()
    login_verified(client, county.user(role, other=other))
    return client


@pytest.fixture
def items(county: County) -> dict[str, CatalogItem]:
    approved_catalog(county.other_dept, prefix="HB")
    return approved_catalog(county.dept)


def _entry_form(county: County, item: CatalogItem, **extra: Any) -> dict[str, Any]:
    return {
        "item": item.pk,
        "window_start": QUARTER.start.isoformat(),
        "window_end": QUARTER.end.isoformat(),
        "expected_count": "4",
        "method": "onsite",
        "level": "county",
        "targets": county.enterprise.uscc,
    } | extra


# --- list -----------------------------------------------------------------------------------------


def test_plan_list_shows_department_roles_only_their_own_plans(county: County, items: dict[str, Any]) -> None:
    draft_plan(county, items)
    assert "县应急管理局" in _client(county, "dept_admin").get(reverse("plans:plan_list")).content.decode()
    body = _client(county, "dept_admin", other=True).get(reverse("plans:plan_list")).content.decode()
    assert "县应急管理局" not in body and "没有符合条件的检查计划" in body
    assert "县应急管理局" in _client(county, "supervisor", other=True).get(reverse("plans:plan_list")).content.decode()


def test_plan_list_refuses_roles_without_plans(county: County) -> None:
    for role in ("enterprise", "discipline", "sysadmin", "auditor"):
        assert _client(county, role).get(reverse("plans:plan_list")).status_code == 403, role


def test_plan_list_filters_by_status_and_department(
    county: County, items: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    submitted_plan(county, items, monkeypatch)
    create_plan(actor=county.user("dept_admin", other=True), department=county.other_dept, year=2027, quarter=1)
    client = _client(county, "office")
    body = client.get(reverse("plans:plan_list"), {"status": "submitted"}).content.decode()
    assert "县应急管理局" in body and "县生态环境分局</td>" not in body
    body = client.get(reverse("plans:plan_list"), {"department": county.other_dept.pk}).content.decode()
    assert "县生态环境分局</td>" in body and "县应急管理局</td>" not in body


def test_plan_list_query_count_does_not_grow_with_rows(
    county: County, items: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for q in range(1, 5):
        draft_plan(county, items, Quarter(2027, q))
    client = _client(county, "office")
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("plans:plan_list"))
    assert response.content.decode().count("季度检查计划</a>") == 4


# --- creating and editing -----------------------------------------------------------------------------


def test_department_admin_creates_a_quarterly_plan_from_the_page(county: County) -> None:
    client = _client(county, "dept_admin")
    response = client.post(reverse("plans:plan_create"), {"year": QUARTER.year, "quarter": QUARTER.number})
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan_detail", args=[plan.pk])
    response = client.post(reverse("plans:plan_create"), {"year": QUARTER.year, "quarter": QUARTER.number})
    assert "已存在" in response.content.decode() and Plan.objects.count() == 1


def test_entry_form_offers_only_the_departments_effective_catalog(county: County, items: dict[str, Any]) -> None:
    plan = draft_plan(county, items)
    body = _client(county, "dept_admin").get(reverse("plans:entry_create", args=[plan.pk])).content.decode()
    assert "YJ-001" in body and "HB-001" not in body


def test_entry_is_added_from_the_form_with_targets_by_credit_code(county: County, items: dict[str, Any]) -> None:
    plan = create_plan(actor=county.user("dept_admin"), department=county.dept, year=2027, quarter=1)
    url = reverse("plans:entry_create", args=[plan.pk])
    response = _client(county, "dept_admin").post(url, _entry_form(county, items["random"]))
    assert response.status_code == 302
    entry = PlanEntry.objects.get()
    assert list(entry.targets.all()) == [county.enterprise] and entry.expected_count == 4


def test_entry_form_shows_the_services_refusal_and_writes_nothing(county: County, items: dict[str, Any]) -> None:
    plan = create_plan(actor=county.user("dept_admin"), department=county.dept, year=2027, quarter=1)
    form = _entry_form(county, items["random"], window_end=QUARTER.next().start.isoformat())
    response = _client(county, "dept_admin").post(reverse("plans:entry_create", args=[plan.pk]), form)
    assert response.status_code == 200 and "须在2027年第1季度内" in response.content.decode()
    assert not PlanEntry.objects.exists()


def test_entry_form_refuses_an_unknown_credit_code(county: County, items: dict[str, Any]) -> None:
    plan = create_plan(actor=county.user("dept_admin"), department=county.dept, year=2027, quarter=1)
    form = _entry_form(county, items["random"], targets="91130921MA0XXXXX0X")
    response = _client(county, "dept_admin").post(reverse("plans:entry_create", args=[plan.pk]), form)
    assert "未找到企业" in response.content.decode() and not PlanEntry.objects.exists()


def test_entry_edit_page_saves_changes(county: County, items: dict[str, Any]) -> None:
    entry = first_entry(draft_plan(county, items))
    url = reverse("plans:entry_edit", args=[entry.pk])
    client = _client(county, "dept_admin")
    assert county.enterprise.uscc in client.get(url).content.decode()
    response = client.post(url, _entry_form(county, entry.item, expected_count="9", note="调整"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.expected_count, entry.note) == (9, "调整")


def test_other_roles_cannot_open_the_entry_form(county: County, items: dict[str, Any]) -> None:
    plan = draft_plan(county, items)
    assert _client(county, "office").get(reverse("plans:entry_create", args=[plan.pk])).status_code == 403
    assert (
        _client(county, "dept_admin", other=True).get(reverse("plans:entry_create", args=[plan.pk])).status_code == 404
    )


# --- the workflow through the detail page -------------------------------------------------------------


def test_submit_before_the_window_shows_the_window_and_keeps_the_draft(county: County, items: dict[str, Any]) -> None:
    plan = draft_plan(county, items)
    client = _client(county, "dept_admin")
    assert "报送计划" in client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    response = client.post(reverse("plans:plan_submit", args=[plan.pk]), follow=True)
    assert "未到报送时间" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_submit_in_the_window_then_reviewers_see_their_forms(
    county: County, items: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = draft_plan(county, items)
    freeze(monkeypatch, plan_window(QUARTER).opens)
    _client(county, "dept_admin").post(reverse("plans:plan_submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    body = _client(county, "supervisor").get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "提交审核意见" in body
    assert (
        "提交审核意见"
        not in _client(county, "dept_admin").get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    )


def test_reviewer_returns_the_plan_from_the_page(
    county: County, items: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = submitted_plan(county, items, monkeypatch)
    url = reverse("plans:plan_review", args=[plan.pk])
    response = _client(county, "supervisor").post(url, {"passed": "0", "comment": ""}, follow=True)
    assert "退回计划须填写退回意见" in response.content.decode()
    _client(county, "supervisor").post(url, {"passed": "0", "comment": "对象不明确"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    body = _client(county, "dept_admin").get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "对象不明确" in body and "报送计划" in body


def test_office_approves_with_a_decision_chosen_on_the_page(
    county: County, items: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = submitted_plan(county, items, monkeypatch)
    review_plan(actor=county.user("random_coordinator"), plan=plan, passed=True)
    review_plan(actor=county.user("supervisor"), plan=plan, passed=True)
    chosen = decision(county)
    client = _client(county, "office")
    assert chosen.number in client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    client.post(reverse("plans:plan_approve", args=[plan.pk]), {"decision": chosen.pk})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.decision == chosen


def test_plan_detail_query_count_does_not_grow_with_entries(
    county: County, items: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from qijian.plans.services import add_entry
    from tests.plans.factories import entry_kwargs

    plan = draft_plan(county, items)
    for _ in range(5):
        add_entry(actor=county.user("dept_admin"), plan=plan, **entry_kwargs(county, items["targeted"]))
    client = _client(county, "dept_admin")
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 200


# --- completion and work reports ------------------------------------------------------------------


def test_completion_form_records_the_entrys_completion(
    county: County, items: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = approved_plan(county, items, monkeypatch)
    freeze(monkeypatch, plan_window(QUARTER.next()).opens)
    entry = first_entry(plan)
    counts = dict.fromkeys(
        [
            "joint_count",
            "remote_count",
            "problem_count",
            "no_penalty_count",
            "reduced_penalty_count",
            "no_coercion_count",
        ],
        "0",
    )
    form = {"completion": "partly", "actual_count": "2", "reason": "", **counts}
    url = reverse("plans:entry_completion", args=[entry.pk])
    response = _client(county, "dept_admin").post(url, form)
    assert "须填写原因" in response.content.decode()
    _client(county, "dept_admin").post(url, form | {"reason": "两家企业停产"})
    entry.refresh_from_db()
    assert (entry.completion, entry.actual_count, entry.completion_reason) == ("partly", 2, "两家企业停产")


def test_work_report_is_submitted_and_listed_for_the_office(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, work_report_due(Quarter(2026, 3)))
    client = _client(county, "dept_admin")
    response = client.post(
        reverse("plans:work_report_create"), {"year": 2026, "quarter": 3, "text": "本季度检查20户次"}
    )
    assert response.status_code == 302 and WorkReport.objects.get().text == "本季度检查20户次"
    assert "本季度检查20户次" in _client(county, "office").get(reverse("plans:work_report_list")).content.decode()
    assert (
        "本季度检查20户次"
        not in _client(county, "dept_admin", other=True).get(reverse("plans:work_report_list")).content.decode()
    )


def test_target_search_finds_operating_enterprises_by_name_or_code(county: County) -> None:
    client = _client(county, "dept_admin")
    body = client.get(reverse("plans:target_search"), {"q": "甲公司"}).content.decode()
    assert county.enterprise.uscc in body and county.other_enterprise.uscc not in body
    body = client.get(reverse("plans:target_search"), {"q": county.other_enterprise.uscc[:12]}).content.decode()
    assert county.other_enterprise.uscc in body
    assert _client(county, "inspector").get(reverse("plans:target_search"), {"q": "甲公司"}).status_code == 403
