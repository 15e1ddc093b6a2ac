"""Session hardening: idle timeout, and a TOTP second factor for the roles that need one."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from qijian.accounts.choices import TWO_FACTOR_ROLES

_LAST_SEEN = "qj_last_seen"


class IdleTimeoutMiddleware:
    """Ends a session server-side after ``SESSION_IDLE_TIMEOUT`` seconds without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and "Authorization" not in request.headers:
            now = int(time.time())
            last = request.session.get(_LAST_SEEN, now)
            if now - int(last) > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?timeout=1")
            request.session[_LAST_SEEN] = now
        return self.get_response(request)


_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/api/")


class TwoFactorRequiredMiddleware:
    """Users whose role needs two factors reach nothing but the 2FA pages until verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "role", None) in TWO_FACTOR_ROLES
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            return redirect("accounts:two_factor")
        return self.get_response(request)
