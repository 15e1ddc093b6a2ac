"""Writes to accounts. Each function checks its actor, then audits itself in its own transaction.

``actor=None`` means the system itself (management commands, the demo loader); a person acting
through a page or the API must hold the role the operation needs. Passwords, TOTP keys and API
tokens never enter the audit trail.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from qijian.accounts.choices import ADMIN_DUTIES, DEPARTMENT_OPTIONAL, TWO_FACTOR_ROLES, Role
from qijian.accounts.identity import PersonNumberError, person_id_for
from qijian.accounts.models import User
from qijian.audit.services import record_event


class AccountError(ValueError):
    """A request to change accounts that the rules refuse; the message is shown to users."""


# --- checks ----------------------------------------------------------------------------------------


def _require_actor(actor: Any, roles: Iterable[str]) -> None:
    if actor is None:
        return
    if not getattr(actor, "is_active", False) or actor.role not in roles:
        raise AccountError("您无权执行此操作")


def _not_self(actor: Any, user: User, message: str) -> None:
    if actor is not None and actor.pk == user.pk:
        raise AccountError(message)


def _messages(exc: ValidationError) -> str:
    return ";".join(str(m) for m in exc.messages)


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise AccountError(f"未知角色:{role}")


def _check_affiliation(role: str, department: Any, enterprise: Any, inspector: Any) -> None:
    """Enterprise users belong to one enterprise; staff to a department; inspectors to their own record."""
    if role == Role.ENTERPRISE:
        if enterprise is None or department is not None:
            raise AccountError("企业用户必须指定所属企业,且不能属于部门")
    elif enterprise is not None:
        raise AccountError("只有企业用户可以指定所属企业")
    elif department is None and role not in DEPARTMENT_OPTIONAL:
        raise AccountError(f"{Role(role).label}账号必须指定所属部门")
    if role == Role.INSPECTOR:
        if inspector is None or department is None or inspector.department_id != department.pk:
            raise AccountError("执法人员账号必须绑定本部门的执法人员档案")
        if User.objects.filter(inspector=inspector).exists():
            raise AccountError("该执法人员档案已绑定其他账号")
    elif inspector is not None:
        raise AccountError("只有执法人员账号可以绑定执法人员档案")


def _person_id(person_number: str) -> str:
    if not person_number:
        return ""
    try:
        return person_id_for(person_number)
    except PersonNumberError as exc:
        raise AccountError(str(exc)) from exc


def _check_admin_duty(role: str, person_id: str, *, exclude_pk: int | None = None) -> None:
    """三员分立: an admin-duty account names its person, and that person holds no other admin duty."""
    if role not in ADMIN_DUTIES:
        return
    if not person_id:
        raise AccountError("系统管理员、安全管理员、安全审计员账号必须登记身份证号或工号")
    held = User.objects.filter(person_id=person_id, role__in=ADMIN_DUTIES, is_active=True).exclude(pk=exclude_pk)
    if held.exists():
        raise AccountError("三员分立:该人员已持有一个管理员账号(系统管理员、安全管理员、安全审计员只能担任其一)")


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(_messages(exc)) from exc


def _public(user: User) -> dict[str, Any]:
    """What the audit trail may know of an account (no secrets, no raw person number)."""
    return {
        "username": user.username,
        "role": user.role,
        "is_active": user.is_active,
        "department_id": user.department_id,
        "enterprise_id": user.enterprise_id,
        "inspector_id": user.inspector_id,
        "has_person_id": bool(user.person_id),
    }


# --- account lifecycle (sysadmin) ------------------------------------------------------------------


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
    person_number: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    """Open an account. ``person_number`` (身份证号 or employee number) is required for admin duties
    and stored only as its keyed hash."""
    _require_actor(actor, {Role.SYSADMIN})
    _check_role(role)
    _check_affiliation(role, department, enterprise, inspector)
    person_id = _person_id(person_number)
    _check_admin_duty(role, person_id)
    user = User(username=username, role=role, first_name=full_name, department=department, enterprise=enterprise)
    user.inspector, user.person_id, user.phone, user.email = inspector, person_id, phone, email
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise AccountError(_messages(exc)) from exc
    _check_password(password, user)
    user.set_password(password)
    user.save(force_insert=True)
    record_event(actor=actor, action="accounts.create_user", target=user, after=_public(user))
    return user


@transaction.atomic
def change_role(*, actor: Any, user: User, role: str, inspector: Any = None, person_number: str = "") -> User:
    """Give an account another role in the same department. Nobody changes their own role, and an
    admin-duty account never takes a second admin duty."""
    _require_actor(actor, {Role.SYSADMIN})
    _not_self(actor, user, "不能修改自己的角色")
    _check_role(role)
    if user.role == role:
        raise AccountError("新角色与当前角色相同")
    if Role.ENTERPRISE in (role, user.role):
        raise AccountError("企业账号与工作人员账号不能互相转换,请另行开设账号")
    if user.role in ADMIN_DUTIES and role in ADMIN_DUTIES:
        raise AccountError("三员分立:管理员账号不能改任另一管理职责")
    before = _public(user)
    _check_affiliation(role, user.department, None, inspector)
    person_id = _person_id(person_number) or user.person_id
    _check_admin_duty(role, person_id, exclude_pk=user.pk)
    user.role, user.inspector, user.person_id = role, inspector, person_id
    user.save(update_fields=["role", "inspector", "person_id"])
    record_event(actor=actor, action="accounts.change_role", target=user, before=before, after=_public(user))
    return user


@transaction.atomic
def deactivate_user(*, actor: Any, user: User, reason: str = "") -> User:
    """Close an account: it can no longer sign in, its sessions stop working and its API token is revoked."""
    _require_actor(actor, {Role.SYSADMIN})
    _not_self(actor, user, "不能停用自己的账号")
    if not user.is_active:
        raise AccountError("该账号已停用")
    user.is_active = False
    user.save(update_fields=["is_active"])
    Token.objects.filter(user=user).delete()
    record_event(actor=actor, action="accounts.deactivate_user", target=user, after={"reason": reason[:200]})
    return user


@transaction.atomic
def reset_password(*, actor: Any, user: User, password: str) -> User:
    """Set another user's password (their open sessions end, as the session hash changes)."""
    _require_actor(actor, {Role.SYSADMIN})
    _not_self(actor, user, "请在“我的账号”中修改自己的密码")
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record_event(actor=actor, action="accounts.reset_password", target=user, after={"password_changed": True})
    return user


@transaction.atomic
def change_own_password(*, actor: User, old_password: str, new_password: str) -> User:
    if not actor.check_password(old_password):
        raise AccountError("原密码不正确")
    if old_password == new_password:
        raise AccountError("新密码不能与原密码相同")
    _check_password(new_password, actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    record_event(actor=actor, action="accounts.change_own_password", target=actor, after={"password_changed": True})
    return actor


# --- security (secadmin) ---------------------------------------------------------------------------


@transaction.atomic
def unlock_user(*, actor: Any, username: str) -> int:
    """Lift a login lock-out before its cool-off ends; returns the number of attempt records cleared."""
    _require_actor(actor, {Role.SECADMIN})
    cleared = axes_reset(username=username)
    target = User.objects.filter(username=username).first()
    record_event(
        actor=actor,
        action="accounts.unlock_user",
        target=target,
        target_type="accounts.user",
        target_id=username[:64],
        after={"username": username, "cleared_attempts": cleared},
    )
    return cleared


@transaction.atomic
def reset_totp(*, actor: Any, user: User) -> int:
    """Remove a user's TOTP devices; at the next sign-in the user enrols a new one."""
    _require_actor(actor, {Role.SECADMIN})
    _not_self(actor, user, "不能重置自己的动态口令,请由另一名安全管理员操作")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    record_event(actor=actor, action="accounts.reset_totp", target=user, after={"removed_devices": removed})
    return removed


@transaction.atomic
def enroll_totp(*, actor: Any, user: User, key_hex: str | None = None) -> TOTPDevice:
    """Bind a confirmed TOTP device to the user (replacing any earlier one).

    A user enrolling themselves may do so only while they have no device: a stolen password must
    not be enough to replace someone's second factor (the secadmin resets it first)."""
    if actor is not None and actor.pk == user.pk and has_totp_device(user):
        raise AccountError("您已绑定动态口令设备;如需更换,请联系安全管理员重置")
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="动态口令", key=key_hex or secrets.token_hex(20), confirmed=True)
    record_event(actor=actor, action="accounts.enroll_totp", target=user, after={"device_id": device.pk})
    return device


@transaction.atomic
def confirm_totp_enrolment(*, actor: User, key_hex: str, token: str) -> TOTPDevice:
    """Self-enrolment: the user proves their authenticator holds ``key_hex`` with a first code."""
    if not token.isdigit() or not TOTP(bytes.fromhex(key_hex)).verify(int(token), tolerance=1):
        raise AccountError("验证码不正确或已过期,请核对手机上的动态口令后重试")
    device = enroll_totp(actor=actor, user=actor, key_hex=key_hex)
    if not device.verify_token(token):  # records the code as used, so it cannot be replayed
        raise AccountError("验证码不正确或已过期,请核对手机上的动态口令后重试")
    return device


def has_totp_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# --- API tokens ---------------------------------------------------------------------------------------


@transaction.atomic
def issue_api_token(*, actor: User, user: User) -> str:
    """A new API token for the user's own account (replacing the old one); shown once, never audited.

    Users of two-factor roles get one only with an enrolled TOTP device, and the page that calls this
    sits behind the two-factor middleware, so a token is only ever issued to a verified session."""
    _not_other(actor, user)
    if user.role in TWO_FACTOR_ROLES and not has_totp_device(user):
        raise AccountError("您的角色需要双因素认证,请先绑定动态口令设备")
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    record_event(actor=actor, action="accounts.issue_api_token", target=user, after={"issued": True})
    return str(token.key)


@transaction.atomic
def revoke_api_token(*, actor: User, user: User) -> int:
    """Revoke a user's API token: the user themselves, or a secadmin for anyone."""
    if actor.pk != user.pk:
        _require_actor(actor, {Role.SECADMIN})
    removed, _ = Token.objects.filter(user=user).delete()
    record_event(actor=actor, action="accounts.revoke_api_token", target=user, after={"revoked": removed})
    return removed


def _not_other(actor: User, user: User) -> None:
    if actor.pk != user.pk or not user.is_active:
        raise AccountError("API 令牌只能由本人在“我的账号”中申请")
