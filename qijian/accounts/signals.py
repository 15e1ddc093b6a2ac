"""Sign-in events into the audit trail: logins, logouts, failed logins and lock-outs (等保 安全审计)."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from qijian.accounts.middleware import LAST_SEEN, STARTED
from qijian.accounts.models import User
from qijian.audit.services import record_event


def _client(request: HttpRequest | None) -> dict[str, str]:
    if request is None:
        return {}
    return {"ip": str(getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", ""))}


def _record_attempt(action: str, username: str, request: HttpRequest | None) -> None:
    target = User.objects.filter(username=username).first() if username else None
    with transaction.atomic():
        record_event(
            actor=None,
            action=action,
            target=target,
            target_type="accounts.user",
            target_id=username[:64],
            after={"username": username[:150], **_client(request)},
        )


@receiver(user_logged_in, dispatch_uid="qijian_audit_login")
def audit_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    with transaction.atomic():
        record_event(actor=user, action="accounts.login", target=user, after=_client(request))


@receiver(user_logged_in, dispatch_uid="qijian_session_marks")
def start_session_clock(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """The idle and absolute session limits count from the moment of sign-in."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[STARTED] = now
        session[LAST_SEEN] = now


@receiver(user_logged_out, dispatch_uid="qijian_audit_logout")
def audit_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None and user.pk:
        with transaction.atomic():
            record_event(actor=user, action="accounts.logout", target=user, after=_client(request))


@receiver(user_login_failed, dispatch_uid="qijian_audit_login_failed")
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    _record_attempt("accounts.login_failed", str(credentials.get("username") or ""), request)


@receiver(user_locked_out, dispatch_uid="qijian_audit_locked_out")
def audit_locked_out(sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any) -> None:
    _record_attempt("accounts.locked_out", username or "", request)
