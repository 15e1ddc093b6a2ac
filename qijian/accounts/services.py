"""Writes to accounts. Each function audits itself in its own transaction."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from qijian.accounts.choices import ADMIN_DUTIES
from qijian.accounts.models import User
from qijian.audit.services import record_event


class AccountError(ValueError):
    """A request to change accounts that the rules refuse; the message is shown to users."""


@transaction.atomic
def create_user(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    department: Any = None,
    enterprise: Any = None,
    inspector: Any = None,
) -> User:
    user = User(username=username, role=role, first_name=full_name, department=department, enterprise=enterprise)
    user.inspector = inspector
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save(force_insert=True)
    record_event(
        actor=actor,
        action="accounts.create_user",
        target=user,
        after={
            "username": username,
            "role": role,
            "department_id": user.department_id,
            "enterprise_id": user.enterprise_id,
        },
    )
    return user


@transaction.atomic
def enroll_totp(*, actor: Any, user: User, key_hex: str | None = None) -> TOTPDevice:
    """Bind a confirmed TOTP device to the user (replacing any earlier one)."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="动态口令", key=key_hex or secrets.token_hex(20), confirmed=True)
    record_event(actor=actor, action="accounts.enroll_totp", target=user, after={"device_id": device.pk})
    return device


def is_admin_duty(role: str) -> bool:
    return role in ADMIN_DUTIES
