"""Complaint services: registering (staff, enterprise), numbering, links, deadlines, the workflow and the
outcome sent back to the complainant."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from qijian.audit.models import AuditEvent
from qijian.core.calendar import add_working_days, local_today
from qijian.core.models import Notification
from qijian.core.testing import County, make_user
from qijian.evaluations.models import Complaint
from qijian.evaluations.services import complaints as services
from tests.evaluations.complaint_factories import (
    Inspection,
    accepted,
    build_inspection,
    enterprise_complaint,
    staff_complaint,
    use_immediate_tasks,
)


@pytest.fixture
def inspection(county: County) -> Inspection:
    return build_inspection(county)


@pytest.fixture
def tasks_now(settings: Any) -> None:
    use_immediate_tasks(settings)


def test_staff_complaint_gets_a_yearly_number_deadlines_in_working_days_and_an_audit_event(county: County) -> None:
    first, second = staff_complaint(county), staff_complaint(county)
    year = local_today().year
    assert (first.number, second.number) == (f"TS-{year}-000001", f"TS-{year}-000002")
    assert first.source == "staff" and first.status == "received" and first.created_by == county.user("office")
    assert first.accept_due == add_working_days(local_today(), 3)
    assert first.reply_due == add_working_days(local_today(), 15)
    event = AuditEvent.objects.get(action="evaluations.register_complaint", target_id=str(first.pk))
    assert event.after["number"] == first.number


def test_a_number_taken_meanwhile_is_retried_with_the_next_one(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = staff_complaint(county)
    monkeypatch.setattr(services, "_next_number", _stale_then_fresh(taken.number))
    assert staff_complaint(county).number != taken.number


def _stale_then_fresh(stale: str) -> Any:
    calls: list[int] = []
    real = services._next_number

    def fake(year: int) -> str:
        calls.append(year)
        return stale if len(calls) == 1 else real(year)

    return fake


@pytest.mark.parametrize("role", ["dept_admin", "inspector", "enterprise", "random_coordinator", "discipline"])
def test_only_the_office_and_supervisor_register_complaints(county: County, role: str) -> None:
    with pytest.raises(services.ComplaintError, match="联席会议办公室和县司法局"):
        services.register_complaint(actor=county.user(role), summary="内容")
    assert not Complaint.objects.exists()


def test_an_empty_summary_is_refused_in_chinese_and_nothing_is_written(county: County) -> None:
    with pytest.raises(services.ComplaintError, match="投诉内容不能为空"):
        staff_complaint(county, summary="   ")
    assert not Complaint.objects.exists() and not AuditEvent.objects.filter(action__contains="complaint").exists()


def test_the_department_must_be_the_filings(county: County, inspection: Inspection) -> None:
    with pytest.raises(services.ComplaintError, match="报备部门"):
        staff_complaint(county, filing=inspection.filing, department=county.other_dept)
    assert not Complaint.objects.exists()


def test_the_filing_fills_in_its_department_and_single_enterprise(county: County, inspection: Inspection) -> None:
    complaint = staff_complaint(county, filing=inspection.filing)
    assert (complaint.department, complaint.enterprise) == (county.dept, county.enterprise)


def test_an_enterprise_the_filing_does_not_cover_is_refused(county: County, inspection: Inspection) -> None:
    with pytest.raises(services.ComplaintError, match="检查对象不包括"):
        staff_complaint(county, filing=inspection.filing, enterprise=county.other_enterprise)


def test_a_checkin_brings_its_filing_enterprise_and_department(county: County, inspection: Inspection) -> None:
    complaint = staff_complaint(county, checkin=inspection.checkin)
    assert complaint.filing == inspection.filing
    assert (complaint.enterprise, complaint.department) == (county.enterprise, county.dept)


def test_enterprise_complains_about_its_own_inspection(county: County, inspection: Inspection) -> None:
    complaint = enterprise_complaint(county, inspection, checkin=inspection.checkin, filing=None)
    assert complaint.source == "enterprise" and complaint.enterprise == county.enterprise
    assert complaint.filing == inspection.filing and complaint.department == county.dept
    assert complaint.complainant == county.user("enterprise").username
    assert AuditEvent.objects.filter(action="evaluations.submit_complaint", target_id=str(complaint.pk)).exists()


def test_enterprise_cannot_complain_about_another_enterprises_filing(county: County, inspection: Inspection) -> None:
    with pytest.raises(services.ComplaintError, match="只能投诉对本企业的检查"):
        enterprise_complaint(county, inspection, filing=inspection.other_filing)
    assert not Complaint.objects.exists()


def test_enterprise_cannot_complain_about_another_enterprises_checkin(county: County, inspection: Inspection) -> None:
    with pytest.raises(services.ComplaintError, match="入企扫码记录不属于本企业"):
        services.submit_complaint(
            actor=county.user("enterprise", other=True), summary="问题", checkin=inspection.checkin
        )


def test_enterprise_must_name_an_inspection(county: County) -> None:
    with pytest.raises(services.ComplaintError, match="请选择被投诉的检查"):
        services.submit_complaint(actor=county.user("enterprise"), summary="问题")


def test_staff_cannot_use_the_enterprise_form(county: County, inspection: Inspection) -> None:
    with pytest.raises(services.ComplaintError, match="只有企业用户"):
        services.submit_complaint(actor=county.user("office"), summary="问题", filing=inspection.filing)


# --- workflow ------------------------------------------------------------------------------------------


def test_accept_assigns_a_supervisor_handler(county: County) -> None:
    complaint = accepted(county, staff_complaint(county))
    assert complaint.status == "handling" and complaint.handler == county.user("supervisor")
    assert complaint.accepted_at is not None
    assert AuditEvent.objects.filter(action="evaluations.accept_complaint", target_id=str(complaint.pk)).exists()


def test_a_handler_who_is_not_a_supervisor_is_refused(county: County) -> None:
    complaint = staff_complaint(county)
    with pytest.raises(services.ComplaintError, match="承办人须为县司法局"):
        services.accept_complaint(actor=county.user("office"), complaint=complaint, handler=county.user("dept_admin"))
    complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.handler is None


def test_reply_before_accepting_is_refused(county: County) -> None:
    complaint = staff_complaint(county)
    with pytest.raises(services.ComplaintError, match="须先受理再办结"):
        services.reply_complaint(actor=county.user("supervisor"), complaint=complaint, outcome="已查实")


def test_reply_needs_an_outcome(county: County) -> None:
    complaint = accepted(county, staff_complaint(county))
    with pytest.raises(services.ComplaintError, match="办理结果不能为空"):
        services.reply_complaint(actor=county.user("supervisor"), complaint=complaint, outcome=" ")
    complaint.refresh_from_db()
    assert complaint.status == "handling" and complaint.replied_at is None


def test_a_replied_complaint_cannot_be_rejected_or_accepted_again(county: County) -> None:
    complaint = accepted(county, staff_complaint(county))
    services.reply_complaint(actor=county.user("supervisor"), complaint=complaint, outcome="已约谈")
    with pytest.raises(services.ComplaintError):
        services.reject_complaint(actor=county.user("office"), complaint=complaint, reason="重复")
    with pytest.raises(services.ComplaintError):
        accepted(county, complaint)


def test_phone_only_complainant_gets_a_phone_note_for_the_handler(county: County) -> None:
    complaint = accepted(county, staff_complaint(county, contact="0317-1234567"))
    services.reply_complaint(actor=county.user("supervisor"), complaint=complaint, outcome="已责令整改")
    complaint.refresh_from_db()
    assert complaint.status == "replied" and complaint.feedback == "phone" and complaint.outcome == "已责令整改"
    note = Notification.objects.get(recipient=county.user("supervisor"), title__contains="请电话告知")
    assert "0317-1234567" in note.body and "已责令整改" in note.body


def test_mail_contact_gets_the_outcome_by_mail(
    county: County, tasks_now: None, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = accepted(county, staff_complaint(county, contact="zhao@example.cn"))
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_complaint(actor=county.user("supervisor"), complaint=complaint, outcome="已核实并整改")
    assert [m.to for m in mail.outbox] == [["zhao@example.cn"]]
    assert "已办结" in mail.outbox[0].subject and "已核实并整改" in mail.outbox[0].body
    complaint.refresh_from_db()
    assert complaint.feedback == "mail"


def test_enterprise_complaint_outcome_reaches_its_users_in_app_and_by_mail(
    county: County, inspection: Inspection, tasks_now: None, django_capture_on_commit_callbacks: Any
) -> None:
    user = county.user("enterprise")
    user.email = "boss@jia.example.cn"
    user.save(update_fields=["email"])
    colleague = make_user("enterprise_2", "enterprise", enterprise=county.enterprise, email="clerk@jia.example.cn")
    complaint = accepted(county, enterprise_complaint(county, inspection))
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_complaint(actor=county.user("supervisor"), complaint=complaint, outcome="已约谈执法人员")
    assert sorted(mail.outbox[0].to) == ["boss@jia.example.cn", "clerk@jia.example.cn"]
    assert Notification.objects.filter(recipient__in=[user, colleague], title__contains="已办结").count() == 2
    assert not Notification.objects.filter(recipient=county.user("enterprise", other=True)).exists()


def test_reject_sends_the_reason_back(county: County, tasks_now: None, django_capture_on_commit_callbacks: Any) -> None:
    complaint = staff_complaint(county, contact="zhao@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_complaint(actor=county.user("office"), complaint=complaint, reason="不属于行政执法检查事项")
    complaint.refresh_from_db()
    assert complaint.status == "rejected" and complaint.outcome == "不属于行政执法检查事项"
    assert "不予受理" in mail.outbox[0].subject and "不属于行政执法检查事项" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="evaluations.reject_complaint", target_id=str(complaint.pk)).exists()


def test_deadlines_skip_weekends_and_holidays() -> None:
    received = dt.datetime(2026, 9, 30, 10, tzinfo=dt.UTC)  # the National Day holiday follows
    accept_due, reply_due = services.deadlines(received)
    assert accept_due > dt.date(2026, 10, 8) and reply_due > accept_due
