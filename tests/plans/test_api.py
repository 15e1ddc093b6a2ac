"""Plans API: scoped reads, entries written through the services, the workflow actions with their rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from qijian.catalog.models import CatalogItem
from qijian.core.calendar import plan_window
from qijian.core.testing import County
from qijian.oversight.models import Alert
from qijian.plans.choices import PlanStatus
from qijian.plans.models import Plan, PlanEntry
from tests.plans.factories import QUARTER, approved_catalog, decision, draft_plan, freeze, submitted_plan

ClientAs = Callable[..., APIClient]


@pytest.fixture
def client_as(county: County) -> ClientAs:
    def make(role: str, *, other: bool = False) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=county.user(role, other=other))
        return client

    return make


@pytest.fixture
def items(county: County) -> dict[str, CatalogItem]:
    approved_catalog(county.other_dept, prefix="HB")
    return approved_catalog(county.dept)


def _entry_body(county: County, plan: Plan, item: CatalogItem, **extra: Any) -> dict[str, Any]:
    return {
        "plan": plan.pk,
        "item": item.pk,
        "window_start": QUARTER.start.isoformat(),
        "window_end": QUARTER.end.isoformat(),
        "expected_count": 2,
        "targets": [county.enterprise.pk],
    } | extra


def test_department_admin_lists_only_its_own_plans(county: County, items: dict[str, Any], client_as: ClientAs) -> None:
    plan = draft_plan(county, items)
    assert [p["id"] for p in client_as("dept_admin").get("/api/v1/plans/").json()["results"]] == [plan.pk]
    assert client_as("dept_admin", other=True).get("/api/v1/plans/").json()["results"] == []
    assert client_as("dept_admin", other=True).get(f"/api/v1/plans/{plan.pk}/").status_code == 404
    assert client_as("supervisor", other=True).get(f"/api/v1/plans/{plan.pk}/").status_code == 200
    assert client_as("enterprise").get("/api/v1/plans/").status_code == 403


def test_plan_and_entry_are_created_through_the_services(
    county: County, items: dict[str, Any], client_as: ClientAs
) -> None:
    api = client_as("dept_admin")
    response = api.post("/api/v1/plans/", {"department": county.dept.pk, "year": 2027, "quarter": 1}, format="json")
    assert response.status_code == 201, response.content
    plan = Plan.objects.get(pk=response.json()["id"])
    response = api.post("/api/v1/plan-entries/", _entry_body(county, plan, items["random"]), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["mode"] == "random" and response.json()["basis"].startswith("《中华人民共和国安全生产法》")


def test_entry_outside_the_catalog_gets_400_with_the_chinese_message(
    county: County, items: dict[str, Any], client_as: ClientAs
) -> None:
    plan = draft_plan(county, items)
    other_item = CatalogItem.objects.get(code="HB-001")
    response = client_as("dept_admin").post(
        "/api/v1/plan-entries/", _entry_body(county, plan, other_item), format="json"
    )
    assert response.status_code == 400
    assert "不属于本部门" in str(response.json())
    assert plan.entries.count() == 2


def test_entry_is_changed_and_removed_through_the_services(
    county: County, items: dict[str, Any], client_as: ClientAs
) -> None:
    plan = draft_plan(county, items)
    entry = plan.entries.order_by("id").first()
    assert entry is not None
    api = client_as("dept_admin")
    response = api.patch(f"/api/v1/plan-entries/{entry.pk}/", {"expected_count": 8}, format="json")
    assert response.status_code == 200 and response.json()["expected_count"] == 8
    response = api.patch(f"/api/v1/plan-entries/{entry.pk}/", {"window_end": "2027-06-01"}, format="json")
    assert response.status_code == 400
    assert api.delete(f"/api/v1/plan-entries/{entry.pk}/").status_code == 204
    assert not PlanEntry.objects.filter(pk=entry.pk).exists()


def test_submit_outside_the_window_is_400_and_raises_r11(
    county: County, items: dict[str, Any], client_as: ClientAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = draft_plan(county, items)
    freeze(monkeypatch, QUARTER.start)
    response = client_as("dept_admin").post(f"/api/v1/plans/{plan.pk}/submit/")
    assert response.status_code == 400 and "截止" in str(response.json())
    assert Alert.objects.filter(rule="R11", plan=plan).exists()


def test_workflow_through_the_api_submit_review_approve(
    county: County, items: dict[str, Any], client_as: ClientAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = draft_plan(county, items)
    freeze(monkeypatch, plan_window(QUARTER).opens)
    assert client_as("dept_admin").post(f"/api/v1/plans/{plan.pk}/submit/").json()["status"] == "submitted"
    assert client_as("office").post(f"/api/v1/plans/{plan.pk}/submit/").status_code == 403
    for role in ("random_coordinator", "supervisor"):
        response = client_as(role).post(f"/api/v1/plans/{plan.pk}/review/", {"passed": True}, format="json")
        assert response.status_code == 200, response.content
    chosen = decision(county)
    response = client_as("office").post(f"/api/v1/plans/{plan.pk}/approve/", {"decision": chosen.pk}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert response.json()["decision_number"] == chosen.number


def test_review_return_needs_a_comment_and_only_reviewers_review(
    county: County, items: dict[str, Any], client_as: ClientAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = submitted_plan(county, items, monkeypatch)
    url = f"/api/v1/plans/{plan.pk}/review/"
    assert client_as("dept_admin").post(url, {"passed": True}, format="json").status_code == 403
    response = client_as("supervisor").post(url, {"passed": False}, format="json")
    assert response.status_code == 400 and "退回意见" in str(response.json())
    response = client_as("supervisor").post(url, {"passed": False, "comment": "依据不全"}, format="json")
    assert response.json()["status"] == PlanStatus.RETURNED


def test_office_return_and_extension_actions(
    county: County, items: dict[str, Any], client_as: ClientAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = submitted_plan(county, items, monkeypatch)
    office = client_as("office")
    response = office.post(f"/api/v1/plans/{plan.pk}/return/", {"comment": "重复"}, format="json")
    assert response.json()["status"] == "returned"
    draft = draft_plan(county, items, QUARTER.next())
    body = {"until": QUARTER.end.isoformat(), "reason": "系统升级"}
    response = office.post(f"/api/v1/plans/{draft.pk}/extension/", body, format="json")
    assert response.status_code == 200 and response.json()["extension_reason"] == "系统升级"
    assert client_as("supervisor").post(f"/api/v1/plans/{draft.pk}/extension/", body, format="json").status_code == 403
