"""Reading accounts: the user list, lock-outs and two-factor status, always through ``restrict``."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from qijian.accounts.choices import TWO_FACTOR_ROLES
from qijian.accounts.models import User
from qijian.core.models import VIEW


def users_for(actor: Any, *, q: str = "", role: str = "", department: Any = None) -> QuerySet[User]:
    """The accounts ``actor`` may see, filtered, newest first, with what a list row shows."""
    qs = User.objects.restrict(actor, VIEW).select_related("department", "enterprise")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    if role:
        qs = qs.filter(role=role)
    if department is not None:
        qs = qs.filter(department=department)
    return _with_security_flags(qs).order_by("-id")


def _with_security_flags(qs: QuerySet[User]) -> QuerySet[User]:
    devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return qs.annotate(has_totp=Exists(devices), has_token=Exists(Token.objects.filter(user=OuterRef("pk"))))


def two_factor_status(actor: Any, *, q: str = "") -> QuerySet[User]:
    """Users of the two-factor roles with whether each has a device (the secadmin's 2FA list)."""
    qs = User.objects.restrict(actor, VIEW).filter(role__in=sorted(TWO_FACTOR_ROLES), is_active=True)
    if q:
        qs = qs.filter(username__icontains=q)
    return _with_security_flags(qs.select_related("department")).order_by("username")


def lockout_window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def locked_out_attempts() -> QuerySet[AccessAttempt]:
    """Attempt records that currently lock a user name out (failure limit reached within the cool-off)."""
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=lockout_window_start()
    ).order_by("-attempt_time")


def security_settings() -> list[tuple[str, str]]:
    """The current security settings, as the secadmin's page shows them (read-only)."""
    return [
        ("登录失败锁定阈值", f"连续失败 {settings.AXES_FAILURE_LIMIT} 次"),
        ("锁定时长", f"{round(float(settings.AXES_COOLOFF_TIME) * 60)} 分钟"),
        ("锁定依据", "用户名"),
        ("空闲超时", f"{settings.SESSION_IDLE_TIMEOUT // 60} 分钟"),
        ("会话最长时限", f"{settings.SESSION_COOKIE_AGE // 3600} 小时"),
        ("需双因素认证的角色", "、".join(sorted(r.label for r in TWO_FACTOR_ROLES))),
        ("仅 HTTPS 传输 Cookie", "是" if settings.SESSION_COOKIE_SECURE else "否"),
        ("HSTS", f"{settings.SECURE_HSTS_SECONDS} 秒" if settings.SECURE_HSTS_SECONDS else "未启用"),
        ("密码最短长度", f"{_min_password_length()} 位"),
    ]


def _min_password_length() -> int:
    validators = cast(list[dict[str, Any]], settings.AUTH_PASSWORD_VALIDATORS)
    for validator in validators:
        if validator["NAME"].endswith("MinimumLengthValidator"):
            return int(validator.get("OPTIONS", {}).get("min_length", 8))
    return 0
