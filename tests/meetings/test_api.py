from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from qijian.core.testing import County, login_verified
from qijian.meetings.services import record_decision, record_meeting

pytestmark = pytest.mark.django_db


def _client(county: County, role: str) -> Client:
    client = Client()
    login_verified(client, county.user(role))
    return client


@pytest.fixture
def decisions(county: County) -> None:
    office = county.user("office")
    meeting = record_meeting(actor=office, title="第四季度联席会议", held_on=dt.date(2025, 12, 20), kind="quarterly")
    record_decision(actor=office, meeting=meeting, subject="catalog", text="审定清单")
    record_decision(actor=office, meeting=meeting, subject="plan", text="审定计划")


def test_staff_list_decisions_filtered_by_subject(county: County, decisions: None) -> None:
    rows = _client(county, "dept_admin").get("/api/v1/decisions/?subject=catalog").json()["results"]
    assert [(r["number"], r["meeting_title"]) for r in rows] == [("2025-001", "第四季度联席会议")]


def test_meetings_are_read_only_in_the_api(county: County, decisions: None) -> None:
    client = _client(county, "office")
    assert client.get("/api/v1/meetings/").json()["results"][0]["title"] == "第四季度联席会议"
    assert client.post("/api/v1/meetings/", {"title": "x"}).status_code in (403, 405)


def test_enterprise_users_cannot_read_meetings(county: County, decisions: None) -> None:
    assert _client(county, "enterprise").get("/api/v1/decisions/").status_code == 403
