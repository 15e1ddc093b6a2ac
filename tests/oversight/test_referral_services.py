"""Referral services: proposing (from an alert or a complaint, one open per origin, numbered), two
approvals by two different people of the office and the supervisor, rejection, audit and notices."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from qijian.accounts.choices import Role
from qijian.audit.models import AuditEvent
from qijian.core.models import VIEW, Notification
from qijian.core.testing import County, make_user
from qijian.oversight import referrals
from qijian.oversight.models import Referral
from qijian.oversight.referrals import ReferralError
from tests.oversight.test_referral_support import REASON, approved, propose, unfiled_visit


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_supervisor_proposes_a_referral_of_an_r01_alert_numbered_by_year(county: County) -> None:
    _, alert = unfiled_visit(county)
    referral = propose(county, alert)
    assert referral.number.startswith("YS-") and referral.number.endswith("-0001")
    assert (referral.status, referral.department, referral.enterprise) == ("proposed", county.dept, county.enterprise)
    assert (_events("oversight.propose_referral")[0].after or {})["number"] == referral.number
    assert Notification.objects.filter(recipient=county.user("office"), title__contains=referral.number).exists()


def test_a_second_open_referral_of_the_same_alert_is_refused_and_nothing_is_written(county: County) -> None:
    _, alert = unfiled_visit(county)
    first = propose(county, alert)
    before = AuditEvent.objects.count()
    with pytest.raises(ReferralError, match=first.number):
        propose(county, alert, by="office")
    assert Referral.objects.count() == 1 and AuditEvent.objects.count() == before


def test_after_a_rejection_the_alert_may_be_proposed_again_with_the_next_number(county: County) -> None:
    _, alert = unfiled_visit(county)
    first = propose(county, alert)
    referrals.reject_referral(actor=county.user("office"), referral=first, reason="证据不足")
    second = propose(county, alert)
    assert second.number.endswith("-0002")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reason": "  "}, "移送理由"),
        ({"reason": REASON, "alert": None}, "只能选一项"),
    ],
)
def test_bad_proposals_are_refused_in_chinese(county: County, kwargs: dict[str, Any], message: str) -> None:
    _, alert = unfiled_visit(county)
    args = {"alert": alert} | kwargs
    with pytest.raises(ReferralError, match=message):
        referrals.propose_referral(actor=county.user("supervisor"), **args)
    assert not Referral.objects.exists()


@pytest.mark.parametrize("role", ["dept_admin", "inspector", "random_coordinator", "discipline", "enterprise"])
def test_only_the_office_and_the_supervisor_propose(county: County, role: str) -> None:
    _, alert = unfiled_visit(county)
    with pytest.raises(ReferralError, match="只有"):
        propose(county, alert, by=role)


def test_one_approval_leaves_the_referral_proposed_invisible_to_discipline_and_without_packet(county: County) -> None:
    _, alert = unfiled_visit(county)
    referral = referrals.approve_referral(actor=county.user("supervisor"), referral=propose(county, alert))
    assert referral.status == "proposed" and not referral.packet and referral.packet_sha256 == ""
    assert not Referral.objects.restrict(county.user("discipline"), VIEW).exists()
    assert not Notification.objects.filter(recipient=county.user("discipline")).exists()


def test_the_same_slot_cannot_approve_twice(county: County) -> None:
    _, alert = unfiled_visit(county)
    referral = referrals.approve_referral(actor=county.user("supervisor"), referral=propose(county, alert))
    with pytest.raises(ReferralError, match="县司法局已审批"):
        referrals.approve_referral(actor=county.user("supervisor", other=True), referral=referral)


def test_one_person_holding_an_office_and_a_supervisor_account_cannot_give_both_approvals(county: County) -> None:
    _, alert = unfiled_visit(county)
    office = county.user("office")
    supervisor = county.user("supervisor")
    for user in (office, supervisor):
        user.person_id = "same-person-digest"
        user.save(update_fields=["person_id"])
    referral = referrals.approve_referral(actor=supervisor, referral=propose(county, alert))
    before = AuditEvent.objects.count()
    with pytest.raises(ReferralError, match="同一人"):
        referrals.approve_referral(actor=office, referral=referral)
    referral.refresh_from_db()
    assert referral.office_approved_by is None and AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ["random_coordinator", "dept_admin", "discipline", "sysadmin"])
def test_approval_by_any_other_role_is_refused(county: County, role: str) -> None:
    _, alert = unfiled_visit(county)
    with pytest.raises(ReferralError, match="只有"):
        referrals.approve_referral(actor=county.user(role), referral=propose(county, alert))


def test_the_second_approval_fixes_the_packet_and_tells_discipline_in_app_and_by_mail(
    county: County, mailoutbox: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    discipline = county.user("discipline")
    discipline.email = "jw@cangxian.gov.cn"
    discipline.save(update_fields=["email"])
    _, alert = unfiled_visit(county)
    with django_capture_on_commit_callbacks(execute=True):
        referral = approved(county, alert)
    assert referral.status == "approved" and referral.packet and len(referral.packet_sha256) == 64
    event = _events("oversight.approve_referral")[-1]
    assert (event.after or {})["packet_sha256"] == referral.packet_sha256
    assert Notification.objects.filter(recipient=discipline, title__contains=referral.number).exists()
    assert [m.to for m in mailoutbox if referral.number in m.subject] == [["jw@cangxian.gov.cn"]]
    assert list(Referral.objects.restrict(discipline, VIEW)) == [referral]


def test_an_approved_referral_cannot_be_approved_or_rejected_again(county: County) -> None:
    _, alert = unfiled_visit(county)
    referral = approved(county, alert)
    with pytest.raises(ReferralError, match="已批准移送"):
        referrals.reject_referral(actor=county.user("office"), referral=referral, reason="撤回")
    with pytest.raises(ReferralError, match="已批准移送"):
        referrals.approve_referral(actor=county.user("office", other=True), referral=referral)


def test_either_party_rejects_with_a_reason_and_the_proposer_is_told(county: County) -> None:
    _, alert = unfiled_visit(county)
    referral = propose(county, alert)
    with pytest.raises(ReferralError, match="不予移送的理由"):
        referrals.reject_referral(actor=county.user("office"), referral=referral, reason="")
    referral = referrals.reject_referral(actor=county.user("office"), referral=referral, reason="已整改,情节轻微")
    assert (referral.status, referral.rejected_by) == ("rejected", county.user("office"))
    assert _events("oversight.reject_referral")[0].after == {"reason": "已整改,情节轻微"}
    assert Notification.objects.filter(recipient=county.user("supervisor"), title__startswith="不予移送").exists()


def test_a_referral_from_a_complaint_takes_its_department_and_enterprise(county: County) -> None:
    from qijian.evaluations.models import Complaint

    complaint = Complaint.objects.create(
        number="TS-TEST-1",
        source="hotline",
        received_at="2026-03-02T09:00:00+08:00",
        enterprise=county.enterprise,
        department=county.dept,
        summary="执法人员索要财物",
        accept_due="2026-03-05",
        reply_due="2026-03-20",
    )
    referral = referrals.propose_referral(actor=county.user("office"), complaint=complaint, reason="涉嫌吃拿卡要")
    assert (referral.complaint, referral.department, referral.enterprise) == (complaint, county.dept, county.enterprise)
    with pytest.raises(ReferralError, match="该投诉举报已有移送"):
        referrals.propose_referral(actor=county.user("supervisor"), complaint=complaint, reason="重复")


def test_reading_the_packet_is_audited_and_a_discipline_download_is_the_receipt(county: County) -> None:
    _, alert = unfiled_visit(county)
    referral = approved(county, alert)
    referrals.record_packet_read(actor=county.user("discipline"), referral=referral)
    referral.refresh_from_db()
    assert referral.received_at is not None
    assert _events("oversight.read_referral_packet")[0].actor == county.user("discipline")


def test_an_unapproved_referral_has_no_packet_to_read(county: County) -> None:
    _, alert = unfiled_visit(county)
    with pytest.raises(ReferralError, match="尚未"):
        referrals.record_packet_read(actor=county.user("office"), referral=propose(county, alert))


WRITERS = 4


def _race(county: County, alerts: list[Any]) -> list[BaseException]:
    barrier, errors = threading.Barrier(len(alerts)), list[BaseException]()

    def run(alert: Any) -> None:
        try:
            barrier.wait(timeout=10)
            propose(county, alert)
        except Exception as exc:  # reported by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in alerts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_proposals_get_distinct_numbers_and_one_open_referral_per_alert(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers up front (BEGIN IMMEDIATE): no race to test")
    from qijian.core.testing import build_county

    county = build_county()
    alerts = [unfiled_visit(county)[1] for _ in range(WRITERS)]
    assert not _race(county, alerts)
    numbers = sorted(Referral.objects.values_list("number", flat=True))
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003", "0004"]
    errors = _race(county, [unfiled_visit(county)[1]] * 2)
    assert len(errors) == 1 and isinstance(errors[0], ReferralError)
    assert Referral.objects.count() == WRITERS + 1


def test_a_discipline_user_without_a_department_is_told_too(county: County) -> None:
    extra = make_user("jw2", Role.DISCIPLINE, email="jw2@cangxian.gov.cn")
    _, alert = unfiled_visit(county)
    approved(county, alert)
    assert Notification.objects.filter(recipient=extra).exists()
