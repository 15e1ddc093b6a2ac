from __future__ import annotations

import datetime as dt

import pytest

from qijian.audit.models import AuditEvent
from qijian.core.testing import County
from qijian.meetings.models import Decision, Meeting
from qijian.meetings.services import MeetingError, record_decision, record_meeting

pytestmark = pytest.mark.django_db


def _meeting(county: County, held_on: dt.date = dt.date(2025, 12, 20)) -> Meeting:
    return record_meeting(
        actor=county.user("office"), title="2025年第四季度联席会议", held_on=held_on, kind="quarterly"
    )


def test_office_records_a_meeting_and_it_is_audited(county: County) -> None:
    meeting = _meeting(county)
    assert meeting.recorded_by == county.user("office")
    assert AuditEvent.objects.get(action="meetings.record_meeting").target_id == str(meeting.pk)


@pytest.mark.parametrize("role", ["dept_admin", "supervisor", "random_coordinator", "inspector", "sysadmin"])
def test_only_the_office_records_meetings(county: County, role: str) -> None:
    with pytest.raises(MeetingError, match="联席会议办公室"):
        record_meeting(actor=county.user(role), title="会议", held_on=dt.date(2025, 12, 20), kind="quarterly")
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("title", "kind", "message"), [("  ", "quarterly", "会议名称"), ("会议", "party", "会议类型")])
def test_bad_meeting_input_is_refused(county: County, title: str, kind: str, message: str) -> None:
    with pytest.raises(MeetingError, match=message):
        record_meeting(actor=county.user("office"), title=title, held_on=dt.date(2025, 12, 20), kind=kind)
    assert not AuditEvent.objects.filter(action__startswith="meetings.").exists()


def test_decisions_are_numbered_within_the_year_of_the_meeting(county: County) -> None:
    office, m2025, m2026 = county.user("office"), _meeting(county), _meeting(county, dt.date(2026, 3, 30))
    numbers = [
        record_decision(actor=office, meeting=m, subject="catalog", text="审定").number for m in (m2025, m2025, m2026)
    ]
    assert numbers == ["2025-001", "2025-002", "2026-001"]


def test_numbering_continues_after_the_highest_number_not_the_count(county: County) -> None:
    meeting = _meeting(county)
    record_decision(actor=county.user("office"), meeting=meeting, subject="plan", text="审定计划")
    Decision.objects.update(number="2025-007")
    assert record_decision(actor=county.user("office"), meeting=meeting, subject="plan", text="x").number == "2025-008"


def test_decision_time_is_the_servers_and_it_is_audited(county: County) -> None:
    before = dt.datetime.now(dt.UTC)
    decision = record_decision(actor=county.user("office"), meeting=_meeting(county), subject="catalog", text="审定")
    assert before <= decision.recorded_at <= dt.datetime.now(dt.UTC)
    assert AuditEvent.objects.get(action="meetings.record_decision").after["number"] == "2025-001"


@pytest.mark.parametrize(("subject", "text", "message"), [("catalog", " ", "决定内容"), ("weather", "x", "事项类别")])
def test_bad_decision_input_is_refused(county: County, subject: str, text: str, message: str) -> None:
    meeting = _meeting(county)
    with pytest.raises(MeetingError, match=message):
        record_decision(actor=county.user("office"), meeting=meeting, subject=subject, text=text)
    assert not Decision.objects.exists()


def test_only_the_office_records_decisions(county: County) -> None:
    with pytest.raises(MeetingError, match="联席会议办公室"):
        record_decision(actor=county.user("dept_admin"), meeting=_meeting(county), subject="catalog", text="x")
