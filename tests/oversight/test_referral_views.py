"""Referral pages: propose from an alert (and a complaint), the two approval slots, reject, the packet
download (audited; discipline's first is the receipt), the list's filter and query count, the home block."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qijian.audit.models import AuditEvent
from qijian.core.testing import County, login_verified
from qijian.oversight.models import Referral
from tests.access_rules.referrals import approved_referral
from tests.oversight.test_referral_support import REASON, approved, propose, unfiled_visit

# Middleware (session, user, OTP device, idle stamp) + count + the page of rows with its joins.
LIST_QUERIES = 8


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _client(county: County, role: str, *, other: bool = False) -> Client:
    client = Client()
    login_verified(client, county.user(role, other=other))
    return client


def test_the_alert_detail_offers_office_and_supervisor_a_referral_button(county: County) -> None:
    _, alert = unfiled_visit(county)
    url = reverse("oversight:alert_detail", args=[alert.pk])
    target = f"{reverse('oversight:referral_propose')}?alert={alert.pk}"
    for role in ("office", "supervisor"):
        assert target in _client(county, role).get(url).content.decode(), role
    assert target not in _client(county, "random_coordinator").get(url).content.decode()


def test_proposing_from_the_alert_page_creates_the_referral_and_shows_both_open_slots(county: County) -> None:
    _, alert = unfiled_visit(county)
    client = _client(county, "supervisor")
    url = reverse("oversight:referral_propose")
    assert "提请移送" in client.get(f"{url}?alert={alert.pk}").content.decode()
    response = client.post(url, {"alert": alert.pk, "reason": REASON})
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "oversight:referral_detail", args=[referral.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert referral.number in page and page.count("待审批") >= 2 and "批准移送" in page


def test_a_proposal_without_a_reason_is_refused_and_nothing_is_written(county: County) -> None:
    _, alert = unfiled_visit(county)
    client = _client(county, "office")
    before = AuditEvent.objects.count()
    response = client.post(reverse("oversight:referral_propose"), {"alert": alert.pk, "reason": ""})
    assert response.status_code == 400 and "请填写移送理由" in response.content.decode()
    assert not Referral.objects.exists() and AuditEvent.objects.count() == before


def test_a_second_proposal_page_points_to_the_open_referral(county: County) -> None:
    _, alert = unfiled_visit(county)
    referral = propose(county, alert)
    page = _client(county, "office").get(f"{reverse('oversight:referral_propose')}?alert={alert.pk}")
    assert "不能重复提请" in page.content.decode() and referral.number in page.content.decode()


def test_the_propose_url_accepts_a_complaint(county: County) -> None:
    from qijian.evaluations.models import Complaint

    complaint = Complaint.objects.create(
        number="TS-V-1",
        source="hotline",
        received_at="2026-03-02T09:00:00+08:00",
        department=county.dept,
        summary="执法人员索要财物",
        accept_due="2026-03-05",
        reply_due="2026-03-20",
    )
    client = _client(county, "office")
    url = reverse("oversight:referral_propose")
    assert "TS-V-1" in client.get(f"{url}?complaint={complaint.pk}").content.decode()
    client.post(url, {"complaint": complaint.pk, "reason": "涉嫌吃拿卡要"})
    assert Referral.objects.get().complaint == complaint


def test_the_second_approval_on_the_page_fixes_the_packet_for_discipline(county: County) -> None:
    _, alert = unfiled_visit(county)
    referral = propose(county, alert)
    approve = reverse("oversight:referral_approve", args=[referral.pk])
    _client(county, "supervisor").post(approve)
    detail = reverse("oversight:referral_detail", args=[referral.pk])
    assert _client(county, "discipline").get(detail).status_code == 404  # one approval: not for discipline yet
    _client(county, "office").post(approve)
    referral.refresh_from_db()
    page = _client(county, "discipline").get(detail).content.decode()
    assert referral.status == "approved" and referral.packet_sha256 in page


def test_the_same_party_approving_twice_gets_a_chinese_message(county: County) -> None:
    _, alert = unfiled_visit(county)
    referral = propose(county, alert)
    approve = reverse("oversight:referral_approve", args=[referral.pk])
    _client(county, "supervisor").post(approve)
    response = _client(county, "supervisor", other=True).post(approve, follow=True)
    assert "县司法局已审批该移送" in response.content.decode()


def test_rejecting_needs_a_reason(county: County) -> None:
    _, alert = unfiled_visit(county)
    referral = propose(county, alert)
    url = reverse("oversight:referral_reject", args=[referral.pk])
    response = _client(county, "office").post(url, {"reason": ""}, follow=True)
    assert "请填写不予移送的理由" in response.content.decode()
    _client(county, "office").post(url, {"reason": "情节轻微,已责令整改"})
    referral.refresh_from_db()
    assert referral.status == "rejected"


def test_discipline_downloads_the_packet_and_the_download_is_audited_as_its_receipt(county: County) -> None:
    _, alert = unfiled_visit(county)
    referral = approved(county, alert)
    response = _client(county, "discipline").get(reverse("oversight:referral_packet", args=[referral.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    referral.refresh_from_db()
    assert referral.received_at is not None
    assert AuditEvent.objects.filter(action="oversight.read_referral_packet", actor=county.user("discipline")).exists()


def test_the_list_filters_by_status_in_a_fixed_number_of_queries(
    county: County, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        approved_referral(county, key=f"list-{n}")
    Referral.objects.filter(number__endswith="9001").update(status="rejected")
    client = _client(county, "office")
    with django_assert_max_num_queries(LIST_QUERIES):
        page = client.get(reverse("oversight:referral_list"), {"status": "rejected"}).content.decode()
    assert page.count("YS-2026-") == 1


def test_discipline_home_lists_its_approved_referrals_only(county: County) -> None:
    _, alert = unfiled_visit(county)
    done = approved(county, alert)
    _, other_alert = unfiled_visit(county)
    pending = propose(county, other_alert)
    page = _client(county, "discipline").get(reverse("core:home")).content.decode()
    assert done.number in page and pending.number not in page and "纪检监察移送" in page


@pytest.mark.parametrize("query", ["alert=²", "complaint=1234567890123456789012345", "alert=0", "alert=-1"])
def test_a_malformed_origin_id_is_a_404_not_a_server_error(county: County, query: str) -> None:
    response = _client(county, "office").get(f"{reverse('oversight:referral_propose')}?{query}")
    assert response.status_code == 404
