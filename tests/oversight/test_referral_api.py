"""Referral API: scoped lists (discipline: approved only), propose / approve / reject with Chinese 400s,
roles refused, and the packet download."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from qijian.accounts.api_tokens import issue_token_for_operator
from qijian.audit.models import AuditEvent
from qijian.core.testing import County
from qijian.oversight.models import Referral
from tests.oversight.test_referral_support import REASON, approved, propose, unfiled_visit

URL = "/api/v1/referrals/"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _api(county: County, role: str) -> APIClient:
    client = APIClient()
    key = issue_token_for_operator(actor=None, user=county.user(role), operator="pytest")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _numbers(response: Any) -> list[str]:
    return sorted(r["number"] for r in response.json()["results"])


def test_discipline_lists_approved_referrals_only_and_the_office_all(county: County) -> None:
    done = approved(county, unfiled_visit(county)[1])
    pending = propose(county, unfiled_visit(county)[1])
    assert _numbers(_api(county, "discipline").get(URL)) == [done.number]
    assert _numbers(_api(county, "office").get(URL)) == sorted([done.number, pending.number])
    assert _api(county, "discipline").get(f"{URL}{pending.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["dept_admin", "inspector", "random_coordinator", "enterprise", "sysadmin"])
def test_other_roles_cannot_read_referrals(county: County, role: str) -> None:
    assert _api(county, role).get(URL).status_code == 403


def test_the_supervisor_proposes_through_the_api(county: County) -> None:
    _, alert = unfiled_visit(county)
    response = _api(county, "supervisor").post(URL, {"alert": alert.pk, "reason": REASON}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "proposed" and response.json()["number"].startswith("YS-")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"reason": REASON}, "只能选一项"),
        ({"alert": 999999, "reason": REASON}, "不存在或不在您的可见范围内"),
    ],
)
def test_bad_proposals_get_a_chinese_400_and_nothing_is_written(
    county: County, body: dict[str, Any], message: str
) -> None:
    client = _api(county, "office")
    before = AuditEvent.objects.count()
    response = client.post(URL, body, format="json")
    assert response.status_code == 400 and message in response.content.decode()
    assert not Referral.objects.exists() and AuditEvent.objects.count() == before


def test_discipline_cannot_propose_approve_or_reject(county: County) -> None:
    _, alert = unfiled_visit(county)
    referral = approved(county, alert)
    client = _api(county, "discipline")
    assert client.post(URL, {"alert": alert.pk, "reason": REASON}, format="json").status_code == 403
    assert client.post(f"{URL}{referral.pk}/approve/").status_code == 403
    assert client.post(f"{URL}{referral.pk}/reject/", {"reason": "x"}, format="json").status_code == 403


def test_two_approvals_through_the_api_fix_the_packet_which_discipline_downloads(county: County) -> None:
    referral = propose(county, unfiled_visit(county)[1])
    assert _api(county, "office").get(f"{URL}{referral.pk}/packet/").status_code == 404
    first = _api(county, "supervisor").post(f"{URL}{referral.pk}/approve/")
    assert first.json()["status"] == "proposed" and first.json()["packet_sha256"] == ""
    again = _api(county, "supervisor").post(f"{URL}{referral.pk}/approve/")
    assert again.status_code == 400 and "县司法局已审批" in again.content.decode()
    second = _api(county, "office").post(f"{URL}{referral.pk}/approve/")
    assert second.json()["status"] == "approved" and len(second.json()["packet_sha256"]) == 64
    packet = _api(county, "discipline").get(f"{URL}{referral.pk}/packet/")
    assert packet.status_code == 200 and packet["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="oversight.read_referral_packet").count() == 1


def test_rejecting_through_the_api_needs_a_reason(county: County) -> None:
    referral = propose(county, unfiled_visit(county)[1])
    client = _api(county, "office")
    assert client.post(f"{URL}{referral.pk}/reject/", {}, format="json").status_code == 400
    response = client.post(f"{URL}{referral.pk}/reject/", {"reason": "证据不足"}, format="json")
    assert response.json()["status"] == "rejected" and response.json()["rejection_reason"] == "证据不足"
