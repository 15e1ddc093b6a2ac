"""Shared pieces of the account tests: TOTP codes and clients that are signed in (and verified)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qijian.accounts.choices import TWO_FACTOR_ROLES
from qijian.accounts.models import User
from qijian.accounts.services import enroll_totp
from qijian.core.testing import TEST_PASSWORD


def code_for(key_hex: str) -> str:
    return f"{totp(bytes.fromhex(key_hex)):06d}"


def device_of(user: User) -> TOTPDevice:
    existing = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return existing or enroll_totp(actor=None, user=user)


def password_login(client: Client, username: str, password: str = TEST_PASSWORD) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def signed_in(user: User, *, verify: bool | None = None) -> Client:
    """A client signed in as ``user`` through the real login form, with the second factor when the role
    needs it (or when ``verify`` says so)."""
    client = Client()
    response = password_login(client, user.username)
    assert response.status_code == 302, "password sign-in failed"
    if verify is None:
        verify = user.role in TWO_FACTOR_ROLES
    if verify:
        device = device_of(user)
        response = client.post(reverse("accounts:two_factor"), {"token": code_for(device.key)})
        assert response.status_code == 302, "two-factor verification failed"
    return client
