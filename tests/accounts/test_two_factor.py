"""TOTP second factor: the gate, verification, self-enrolment, the secadmin's reset, and the API."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from qijian.accounts.choices import TWO_FACTOR_ROLES
from qijian.accounts.services import AccountError, enroll_totp, issue_api_token, reset_totp
from qijian.audit.models import AuditEvent
from qijian.core.testing import County
from tests.accounts.helpers import code_for, device_of, signed_in

HOME = "/"
TWO_FACTOR = "/accounts/two-factor/"
ENROLL = "/accounts/two-factor/enroll/"


@pytest.mark.parametrize("role", sorted(TWO_FACTOR_ROLES))
def test_two_factor_role_reaches_only_2fa_pages_before_verifying(county: County, role: str) -> None:
    user = county.user(role)
    device_of(user)
    client = signed_in(user, verify=False)
    for path in (HOME, "/accounts/me/", "/accounts/users/", "/accounts/security/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR), path
    assert client.get(TWO_FACTOR).status_code == 200


def test_role_without_two_factor_goes_straight_in(county: County) -> None:
    client = signed_in(county.user("inspector"), verify=False)
    assert client.get(HOME).status_code == 200


def test_correct_code_opens_the_site_and_returns_to_next(county: County) -> None:
    user = county.user("office")
    device = device_of(user)
    client = signed_in(user, verify=False)
    response = client.post(f"{TWO_FACTOR}?next=/accounts/me/", {"token": code_for(device.key), "next": "/accounts/me/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    assert client.get(HOME).status_code == 200


def test_wrong_code_is_refused_in_chinese(county: County) -> None:
    user = county.user("supervisor")
    device = device_of(user)
    client = signed_in(user, verify=False)
    wrong = f"{(int(code_for(device.key)) + 1) % 1_000_000:06d}"
    response = client.post(TWO_FACTOR, {"token": wrong})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_external_next_is_not_followed(county: County) -> None:
    user = county.user("office")
    device = device_of(user)
    client = signed_in(user, verify=False)
    response = client.post(TWO_FACTOR, {"token": code_for(device.key), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_user_without_device_is_sent_to_self_enrolment_with_qr_and_secret(county: County) -> None:
    client = signed_in(county.user("auditor"), verify=False)
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302 and response["Location"].startswith(ENROLL)
    body = client.get(ENROLL).content.decode()
    assert 'src="data:image/svg+xml;base64,' in body
    assert re.search(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", body), "base32 secret shown in groups"


def test_self_enrolment_confirms_with_first_code_and_verifies_session(county: County) -> None:
    user = county.user("auditor")
    client = signed_in(user, verify=False)
    client.get(ENROLL)
    key = client.session["qj_totp_pending_key"]
    response = client.post(ENROLL, {"token": code_for(key)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=user).key == key
    assert client.get(HOME).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.enroll_totp", target_id=str(user.pk)).exists()
    assert key not in str(list(AuditEvent.objects.values_list("after", flat=True)))


def test_self_enrolment_with_wrong_code_binds_nothing(county: County) -> None:
    user = county.user("auditor")
    client = signed_in(user, verify=False)
    client.get(ENROLL)
    key = client.session["qj_totp_pending_key"]
    wrong = f"{(int(code_for(key)) + 500_000) % 1_000_000:06d}"
    response = client.post(ENROLL, {"token": wrong})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_user_with_device_cannot_replace_it_by_self_enrolment(county: County) -> None:
    user = county.user("office")
    device_of(user)
    with pytest.raises(AccountError, match="安全管理员"):
        enroll_totp(actor=user, user=user)
    client = signed_in(user, verify=False)
    assert client.get(ENROLL)["Location"] == reverse("accounts:two_factor")


def test_secadmin_reset_sends_user_back_to_enrolment(county: County) -> None:
    user = county.user("office")
    device_of(user)
    assert reset_totp(actor=county.user("secadmin"), user=user) == 1
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="accounts.reset_totp", target_id=str(user.pk)).exists()
    client = signed_in(user, verify=False)
    assert client.get(TWO_FACTOR)["Location"].startswith(ENROLL)


def test_only_secadmin_resets_devices_and_not_their_own(county: County) -> None:
    with pytest.raises(AccountError, match="无权"):
        reset_totp(actor=county.user("sysadmin"), user=county.user("office"))
    with pytest.raises(AccountError, match="另一名安全管理员"):
        reset_totp(actor=county.user("secadmin"), user=county.user("secadmin"))


def test_unverified_session_cannot_use_the_api(county: County) -> None:
    user = county.user("office")
    device_of(user)
    client = signed_in(user, verify=False)
    response = client.get("/api/v1/")
    assert response.status_code == 403 and "双因素" in response.json()["detail"]


def test_verified_session_can_use_the_api(county: County) -> None:
    client = signed_in(county.user("office"))
    assert client.get("/api/v1/").status_code == 200


def test_api_token_needs_an_enrolled_device_for_two_factor_roles(county: County) -> None:
    user = county.user("supervisor")
    with pytest.raises(AccountError, match="双因素"):
        issue_api_token(actor=user, user=user)
    device_of(user)
    key = issue_api_token(actor=user, user=user)
    assert Token.objects.get(user=user).key == key
    assert key not in str(list(AuditEvent.objects.values_list("after", flat=True)))


def test_api_token_is_only_issued_to_oneself(county: County) -> None:
    with pytest.raises(AccountError):
        issue_api_token(actor=county.user("secadmin"), user=county.user("inspector"))


def test_token_request_skips_session_gates(county: County) -> None:
    user = county.user("office")
    device_of(user)
    key = issue_api_token(actor=user, user=user)
    response = Client().get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_my_account_issues_token_once_behind_verified_session(county: County) -> None:
    client = signed_in(county.user("office"))
    client.post("/accounts/me/token/")
    body = client.get("/accounts/me/").content.decode()
    token = Token.objects.get(user=county.user("office")).key
    assert token in body
    assert token not in client.get("/accounts/me/").content.decode()
