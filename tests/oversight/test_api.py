"""The alerts API: scoped reads; acknowledge / resolve by the office."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from qijian.core.testing import County
from tests.oversight.conftest import MakeAlert

pytestmark = pytest.mark.django_db
LIST = "/api/v1/alerts/"


def as_user(county: County, role: str, *, other: bool = False) -> APIClient:
    client = APIClient()
    client.force_authenticate(county.user(role, other=other))
    return client


def test_the_office_lists_all_and_a_dept_admin_its_own(county: County, make_alert: MakeAlert) -> None:
    mine, theirs = make_alert(), make_alert(department=county.other_dept)
    ids = {row["id"] for row in as_user(county, "office").get(LIST).json()["results"]}
    assert ids == {mine.pk, theirs.pk}
    ids = {row["id"] for row in as_user(county, "dept_admin").get(LIST).json()["results"]}
    assert ids == {mine.pk}
    assert as_user(county, "dept_admin", other=True).get(f"{LIST}{mine.pk}/").status_code == 404


def test_filters_by_rule_and_status(county: County, make_alert: MakeAlert) -> None:
    r02 = make_alert(rule="R02", severity="critical")
    make_alert(rule="R11", severity="overdue")
    rows = as_user(county, "supervisor").get(LIST, {"rule": "R02", "status": "open"}).json()["results"]
    assert [(r["id"], r["referral_candidate"]) for r in rows] == [(r02.pk, True)]


@pytest.mark.parametrize("role", ["inspector", "enterprise", "discipline"])
def test_other_roles_are_refused(county: County, role: str) -> None:
    assert as_user(county, role).get(LIST).status_code == 403


def test_the_office_acknowledges_and_resolves(county: County, make_alert: MakeAlert) -> None:
    alert, office = make_alert(), as_user(county, "office")
    assert office.post(f"{LIST}{alert.pk}/acknowledge/").json()["status"] == "acknowledged"
    response = office.post(f"{LIST}{alert.pk}/resolve/", {"comment": "已整改"}, format="json")
    assert response.json()["status"] == "resolved" and response.json()["resolution"] == "已整改"
    again = office.post(f"{LIST}{alert.pk}/acknowledge/")
    assert again.status_code == 400 and "已确认或已办结" in str(again.json())


def test_resolve_needs_a_comment(county: County, make_alert: MakeAlert) -> None:
    alert = make_alert()
    response = as_user(county, "office").post(f"{LIST}{alert.pk}/resolve/", {}, format="json")
    assert response.status_code == 400 and "comment" in response.json()


@pytest.mark.parametrize("role", ["supervisor", "random_coordinator", "dept_admin"])
def test_readers_may_not_act(county: County, make_alert: MakeAlert, role: str) -> None:
    alert = make_alert()
    assert as_user(county, role).post(f"{LIST}{alert.pk}/acknowledge/").status_code == 403


def test_the_list_takes_a_constant_number_of_queries(
    county: County, make_alert: MakeAlert, django_assert_max_num_queries: Any
) -> None:
    for _ in range(20):
        make_alert(enterprise=county.enterprise)
    office = as_user(county, "office")
    with django_assert_max_num_queries(3):
        assert len(office.get(LIST).json()["results"]) == 20
