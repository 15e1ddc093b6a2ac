"""The complaints API: scoped reads (departments none, an enterprise its own online complaints), create by
staff and by an enterprise user, and the accept / reply / reject actions."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from qijian.core.testing import County
from qijian.evaluations.models import Complaint
from tests.evaluations.complaint_factories import (
    Inspection,
    accepted,
    build_inspection,
    enterprise_complaint,
    staff_complaint,
)


@pytest.fixture
def inspection(county: County) -> Inspection:
    return build_inspection(county)


URL = "/api/v1/complaints/"


def _client(county: County, role: str, *, other: bool = False) -> APIClient:
    client = APIClient()
    client.force_authenticate(county.user(role, other=other))
    return client


def _ids(response: Any) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_staff_read_every_complaint_and_filter_by_status(county: County, inspection: Inspection) -> None:
    own = enterprise_complaint(county, inspection)
    taken = accepted(county, staff_complaint(county))
    office = _client(county, "office")
    assert _ids(office.get(URL)) == {own.pk, taken.pk}
    assert _ids(office.get(URL, {"status": "handling"})) == {taken.pk}
    row = _client(county, "supervisor").get(f"{URL}{own.pk}/").json()
    assert row["number"] == own.number and row["filing_number"] == "BB1" and row["department_name"] == county.dept.name


def test_enterprise_reads_its_own_online_complaints_only(county: County, inspection: Inspection) -> None:
    own = enterprise_complaint(county, inspection)
    about_it = staff_complaint(county, enterprise=county.enterprise)
    client = _client(county, "enterprise")
    assert _ids(client.get(URL)) == {own.pk}
    assert client.get(f"{URL}{about_it.pk}/").status_code == 404
    assert _client(county, "enterprise", other=True).get(f"{URL}{own.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["dept_admin", "inspector", "discipline", "random_coordinator"])
def test_departments_and_others_read_no_complaint(county: County, role: str) -> None:
    complaint = staff_complaint(county, department=county.dept)
    client = _client(county, role)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{complaint.pk}/").status_code == 403


def test_staff_create_with_links_checked(county: County, inspection: Inspection) -> None:
    client = _client(county, "office")
    response = client.post(URL, {"summary": "超范围检查", "filing": inspection.filing.pk}, format="json")
    assert response.status_code == 201 and response.json()["department"] == county.dept.pk
    bad = client.post(
        URL,
        {"summary": "超范围检查", "filing": inspection.filing.pk, "department": county.other_dept.pk},
        format="json",
    )
    assert bad.status_code == 400 and "报备部门" in bad.json()["detail"]
    assert Complaint.objects.count() == 1


def test_enterprise_creates_about_its_own_inspection_only(county: County, inspection: Inspection) -> None:
    client = _client(county, "enterprise")
    response = client.post(URL, {"summary": "未出示证件", "checkin": inspection.checkin.pk}, format="json")
    assert response.status_code == 201 and response.json()["source"] == "enterprise"
    refused = client.post(URL, {"summary": "未出示证件", "filing": inspection.other_filing.pk}, format="json")
    assert refused.status_code == 400 and "本企业" in refused.json()["detail"]
    named = client.post(
        URL, {"summary": "x", "filing": inspection.filing.pk, "department": county.dept.pk}, format="json"
    )
    assert named.status_code == 400
    assert Complaint.objects.count() == 1


def test_accept_reply_and_reject_actions(county: County) -> None:
    client = _client(county, "supervisor")
    first, second = staff_complaint(county), staff_complaint(county)
    supervisor = county.user("supervisor")
    assert client.post(f"{URL}{first.pk}/reply/", {"outcome": "已办"}, format="json").status_code == 400
    assert client.post(f"{URL}{first.pk}/accept/", {"handler": supervisor.pk}, format="json").status_code == 200
    replied = client.post(f"{URL}{first.pk}/reply/", {"outcome": "已约谈"}, format="json").json()
    assert replied["status"] == "replied" and replied["feedback"] == "phone"
    rejected = client.post(f"{URL}{second.pk}/reject/", {"reason": "重复投诉"}, format="json").json()
    assert rejected["status"] == "rejected" and rejected["outcome"] == "重复投诉"


def test_accept_with_a_non_supervisor_handler_is_a_400(county: County) -> None:
    complaint = staff_complaint(county)
    response = _client(county, "office").post(
        f"{URL}{complaint.pk}/accept/", {"handler": county.user("dept_admin").pk}, format="json"
    )
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_enterprise_cannot_handle_even_its_own_complaint(county: County, inspection: Inspection) -> None:
    own = enterprise_complaint(county, inspection)
    response = _client(county, "enterprise").post(f"{URL}{own.pk}/reject/", {"reason": "撤回"}, format="json")
    assert response.status_code == 403
