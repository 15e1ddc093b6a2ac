from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from qijian.core.testing import County, login_verified
from qijian.meetings.models import Decision, Meeting
from qijian.meetings.services import record_decision, record_meeting

pytestmark = pytest.mark.django_db


def _client(county: County, role: str) -> Client:
    client = Client()
    login_verified(client, county.user(role))
    return client


def _meeting(county: County, title: str = "2025年第四季度联席会议") -> Meeting:
    return record_meeting(actor=county.user("office"), title=title, held_on=dt.date(2025, 12, 20), kind="quarterly")


def test_office_records_a_meeting_through_the_form(county: County) -> None:
    data = {"title": "临时联席会议", "kind": "ad_hoc", "held_on": "2026-01-08", "minutes": "研究清单调整"}
    response = _client(county, "office").post(reverse("meetings:meeting_create"), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert (meeting.kind, meeting.minutes, meeting.recorded_by) == ("ad_hoc", "研究清单调整", county.user("office"))


def test_meeting_form_with_a_blank_title_shows_an_error_and_writes_nothing(county: County) -> None:
    data = {"title": "", "kind": "quarterly", "held_on": "2026-01-08"}
    response = _client(county, "office").post(reverse("meetings:meeting_create"), data)
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    assert not Meeting.objects.exists()


def test_office_records_a_decision_on_the_meeting_page(county: County) -> None:
    meeting = _meeting(county)
    url = reverse("meetings:decision_create", args=[meeting.pk])
    response = _client(county, "office").post(url, {"subject": "catalog", "text": "审定各部门检查事项清单"})
    assert response.status_code == 302
    assert Decision.objects.get().number == "2025-001"


def test_bad_decision_input_is_a_400_and_writes_nothing(county: County) -> None:
    meeting = _meeting(county)
    url = reverse("meetings:decision_create", args=[meeting.pk])
    response = _client(county, "office").post(url, {"subject": "weather", "text": ""})
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_dept_admin_reads_the_meeting_and_its_decisions_but_no_form(county: County) -> None:
    meeting = _meeting(county)
    record_decision(actor=county.user("office"), meeting=meeting, subject="plan", text="审定第一季度检查计划")
    page = _client(county, "dept_admin").get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "审定第一季度检查计划" in page and "2025-001" in page
    assert "记录决定" not in page


def test_meeting_list_query_count_does_not_grow_with_meetings(
    county: County, django_assert_max_num_queries: object
) -> None:
    office = county.user("office")
    for n in range(8):
        meeting = _meeting(county, f"会议{n}")
        record_decision(actor=office, meeting=meeting, subject="other", text="x")
    client = _client(county, "supervisor")
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(reverse("meetings:meeting_list"))
    assert response.content.decode().count("会议7") == 1
