"""Follow-up API: readers, filters, recording once (supervisor), reassigning (office, supervisor)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from qijian.accounts.api_tokens import issue_token_for_operator
from qijian.core.testing import County
from qijian.evaluations.models import FollowUp
from tests.evaluations.conftest import unfiled_visit

URL = "/api/v1/follow-ups/"


@pytest.fixture(autouse=True)
def _media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def as_role(county: County) -> Callable[..., APIClient]:
    def client(role: str, *, other: bool = False) -> APIClient:
        key = issue_token_for_operator(actor=None, user=county.user(role, other=other), operator="pytest")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api

    return client


def test_the_office_lists_and_retrieves_follow_ups(
    county: County, follow_up: FollowUp, as_role: Callable[..., APIClient]
) -> None:
    rows = as_role("office").get(URL).json()["results"]
    assert [r["id"] for r in rows] == [follow_up.pk]
    row = as_role("supervisor", other=True).get(f"{URL}{follow_up.pk}/").json()
    assert row["enterprise_name"] == county.enterprise.name and row["status"] == "pending"
    assert row["assigned_to"] == county.user("supervisor").pk and row["overdue"] is False and row["method"] == ""


@pytest.mark.parametrize("role", ["dept_admin", "inspector", "enterprise", "discipline", "random_coordinator"])
def test_other_roles_are_refused(follow_up: FollowUp, as_role: Callable[..., APIClient], role: str) -> None:
    api = as_role(role)
    assert api.get(URL).status_code == 403 and api.get(f"{URL}{follow_up.pk}/").status_code == 403


def test_filters_overdue_status_and_mine(county: County, as_role: Callable[..., APIClient]) -> None:
    rows = [FollowUp.objects.get(checkin=unfiled_visit(county)) for _ in range(2)]  # supervisor, supervisor:other
    FollowUp.objects.filter(pk=rows[0].pk).update(due_on=dt.date.today() - dt.timedelta(days=1))
    api = as_role("supervisor")

    def ids(query: str) -> list[int]:
        return sorted(r["id"] for r in api.get(URL + query).json()["results"])

    assert ids("?overdue=true") == [rows[0].pk] and ids("?overdue=false") == [rows[1].pk]
    assert ids("?mine=true") == [rows[0].pk] and ids("?status=done") == []
    assert api.get(f"{URL}{rows[0].pk}/").json()["overdue"] is True


def test_a_supervisor_records_once_through_the_api(
    county: County, follow_up: FollowUp, as_role: Callable[..., APIClient]
) -> None:
    api = as_role("supervisor")
    body = {"method": "online", "findings": "线上回访,企业反映检查人员出示了执法证件。"}
    response = api.post(f"{URL}{follow_up.pk}/record/", body, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    again = api.post(f"{URL}{follow_up.pk}/record/", body, format="json")
    assert again.status_code == 400 and "不能重复登记或修改" in again.json()["detail"]


def test_bad_record_bodies_are_refused(follow_up: FollowUp, as_role: Callable[..., APIClient]) -> None:
    api = as_role("supervisor")
    assert (
        api.post(f"{URL}{follow_up.pk}/record/", {"method": "sms", "findings": "x"}, format="json").status_code == 400
    )
    blank = api.post(f"{URL}{follow_up.pk}/record/", {"method": "phone", "findings": "   "}, format="json")
    assert blank.status_code == 400
    follow_up.refresh_from_db()
    assert follow_up.status == "pending"


def test_the_office_may_not_record_but_may_reassign(
    county: County, follow_up: FollowUp, as_role: Callable[..., APIClient]
) -> None:
    api = as_role("office")
    assert (
        api.post(f"{URL}{follow_up.pk}/record/", {"method": "phone", "findings": "x"}, format="json").status_code == 403
    )
    target = county.user("supervisor", other=True)
    response = api.post(f"{URL}{follow_up.pk}/assign/", {"assignee": target.pk}, format="json")
    assert response.status_code == 200 and response.json()["assigned_to"] == target.pk


def test_reassigning_to_a_non_supervisor_is_a_400(
    county: County, follow_up: FollowUp, as_role: Callable[..., APIClient]
) -> None:
    response = as_role("supervisor").post(
        f"{URL}{follow_up.pk}/assign/", {"assignee": county.user("dept_admin").pk}, format="json"
    )
    assert response.status_code == 400 and "在岗的县司法局执法监督人员" in str(response.json())
    follow_up.refresh_from_db()
    assert follow_up.assigned_to == county.user("supervisor")
