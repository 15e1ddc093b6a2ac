"""Filings API: scoped reads, filings through the services, Chinese 400s, amend and cancel actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from qijian.accounts.api_tokens import issue_token_for_operator
from qijian.inspections import services
from qijian.inspections.models import Filing
from qijian.oversight.models import Alert
from tests.inspections.conftest import Setup, at


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _api(s: Setup, role: str, *, other: bool = False) -> APIClient:
    client = APIClient()
    key = issue_token_for_operator(actor=None, user=s.county.user(role, other=other), operator="pytest")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _planned_body(s: Setup, **extra: Any) -> dict[str, Any]:
    body = {
        "entry": s.entry.pk,
        "enterprises": [s.county.enterprise.uscc],
        "inspectors": [i.certificate_no for i in s.pair],
        "window_start": at(1, 9).isoformat(),
        "window_end": at(1, 17).isoformat(),
    }
    return body | extra


def test_planned_filing_through_the_api(setup: Setup) -> None:
    response = _api(setup, "dept_admin").post("/api/v1/filings/planned/", _planned_body(setup), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["number"].startswith("BB") and data["enterprises"][0]["uscc"] == setup.county.enterprise.uscc
    assert {i["certificate_no"] for i in data["inspectors"]} == {i.certificate_no for i in setup.pair}


def test_refused_filing_is_400_in_chinese_and_writes_nothing(setup: Setup) -> None:
    body = _planned_body(setup, inspectors=[setup.county.inspector.certificate_no])
    response = _api(setup, "dept_admin").post("/api/v1/filings/planned/", body, format="json")
    assert response.status_code == 400 and "不少于2名" in response.json()["detail"]
    body = _planned_body(setup, enterprises=["91130921MA0XXXXX9X"])
    response = _api(setup, "dept_admin").post("/api/v1/filings/planned/", body, format="json")
    assert response.status_code == 400 and "不在企业库" in response.json()["detail"]
    assert not Filing.objects.exists()


def test_entry_of_another_department_is_400(setup: Setup) -> None:
    response = _api(setup, "dept_admin", other=True).post(
        "/api/v1/filings/planned/", _planned_body(setup), format="json"
    )
    assert response.status_code == 400 and "计划条目" in response.json()["entry"][0]


def test_only_department_admins_may_file(setup: Setup) -> None:
    response = _api(setup, "office").post("/api/v1/filings/planned/", _planned_body(setup), format="json")
    assert response.status_code == 403


def _urgent_body(s: Setup, **extra: Any) -> dict[str, Any]:
    body = {
        "item": s.item.pk,
        "reason": "media",
        "reason_detail": "河北新闻网 11月27日报道",
        "enterprises": [s.county.enterprise.uscc],
        "inspectors": [i.certificate_no for i in s.pair],
        "window_end": at(1, 12).isoformat(),
    }
    return body | extra


def test_urgent_filing_through_the_api(setup: Setup) -> None:
    response = _api(setup, "dept_admin").post("/api/v1/filings/urgent/", _urgent_body(setup), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["urgent_reason"] == "media"


def test_urgent_filing_with_a_past_start_is_refused_and_the_r02_alert_is_kept(setup: Setup) -> None:
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=40)).isoformat()
    response = _api(setup, "dept_admin").post("/api/v1/filings/urgent/", _urgent_body(setup, start=past), format="json")
    assert response.status_code == 400 and "事后报备" in response.json()["detail"]
    assert not Filing.objects.exists()
    assert Alert.objects.filter(rule="R02", severity="critical").count() == 1


def test_lists_are_scoped(setup: Setup) -> None:
    filing = services.file_planned(
        actor=setup.admin,
        entry=setup.entry,
        enterprises=[setup.county.enterprise],
        inspectors=setup.pair,
        window_start=at(1, 9),
        window_end=at(1, 17),
    )
    for role in ("office", "dept_admin", "inspector", "enterprise"):
        rows = _api(setup, role).get("/api/v1/filings/").json()["results"]
        assert [r["number"] for r in rows] == [filing.number], role
    for role in ("dept_admin", "inspector", "enterprise"):
        assert _api(setup, role, other=True).get("/api/v1/filings/").json()["results"] == [], role
        assert _api(setup, role, other=True).get(f"/api/v1/filings/{filing.pk}/").status_code == 404


def test_amend_and_cancel_actions(setup: Setup) -> None:
    api = _api(setup, "dept_admin")
    created = api.post("/api/v1/filings/planned/", _planned_body(setup), format="json").json()
    response = api.post(
        f"/api/v1/filings/{created['id']}/amend/",
        {"window_end": at(1, 18).isoformat(), "reason": "延长"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["number"] == f"{created['number']}-1"
    assert response.json()["supersedes"] == created["id"]
    amended = response.json()["id"]
    assert api.post(f"/api/v1/filings/{created['id']}/cancel/", {"reason": "x"}, format="json").status_code == 400
    response = api.post(f"/api/v1/filings/{amended}/cancel/", {"reason": "企业停产"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    other = _api(setup, "dept_admin", other=True)
    assert other.post(f"/api/v1/filings/{amended}/cancel/", {"reason": "x"}, format="json").status_code == 404
