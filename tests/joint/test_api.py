"""The joint-visit API: run, answer, file; scoping; Chinese refusals."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from qijian.joint.models import PlanningRun
from tests.joint.factories import QUARTER, JointSetup

pytestmark = pytest.mark.django_db


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_office_runs_the_planner_and_departments_accept_through_the_api(js: JointSetup) -> None:
    response = _client(js.office).post("/api/v1/joint-runs/", {"quarter": QUARTER.code}, format="json")
    assert response.status_code == 201 and response.json()["visits_saved"] == 1
    pk = js.proposal().pk
    for department in (js.county.dept, js.county.other_dept):
        api = _client(js.admin(department))
        answered = api.post(f"/api/v1/joint-proposals/{pk}/answer/", {"accept": True}, format="json")
        assert answered.status_code == 200
    assert answered.json()["status"] == "filed" and answered.json()["filing"]


def test_a_decline_without_reason_is_a_400_with_a_chinese_detail(js: JointSetup) -> None:
    js.run()
    api = _client(js.admin(js.county.dept))
    response = api.post(f"/api/v1/joint-proposals/{js.proposal().pk}/answer/", {"accept": False}, format="json")
    assert response.status_code == 400 and "理由" in response.json()["detail"]


def test_a_bad_quarter_is_a_400_and_nothing_is_run(js: JointSetup) -> None:
    response = _client(js.office).post("/api/v1/joint-runs/", {"quarter": "2027Q9"}, format="json")
    assert response.status_code == 400
    assert not PlanningRun.objects.exists()


def test_department_admin_cannot_run_the_planner(js: JointSetup) -> None:
    api = _client(js.admin(js.county.dept))
    assert api.post("/api/v1/joint-runs/", {"quarter": QUARTER.code}, format="json").status_code == 403


def test_a_department_without_tasks_in_the_visit_does_not_see_it(js: JointSetup) -> None:
    js.entries[js.county.other_dept.pk].targets.set([js.county.other_enterprise])
    js.run()
    mine = js.proposal().pk
    assert _client(js.admin(js.county.other_dept)).get(f"/api/v1/joint-proposals/{mine}/").status_code == 404
    assert _client(js.admin(js.county.dept)).get(f"/api/v1/joint-proposals/{mine}/").status_code == 200


def test_share_endpoint_reports_the_county_share_against_the_policy_path(js: JointSetup) -> None:
    data = _client(js.county.user("supervisor")).get("/api/v1/joint-runs/share/", {"year": "2026"}).json()
    assert data["year"] == 2026 and data["county"]["target"] == pytest.approx(0.4)


def test_unplanned_endpoint_lists_the_reason(js: JointSetup) -> None:
    js.county.enterprise.status = "closed"
    js.county.enterprise.save(update_fields=["status"])
    js.run()
    rows = _client(js.office).get("/api/v1/joint-unplanned/").json()["results"]
    assert len(rows) == 2 and all("注销" in row["reason"] for row in rows)
