"""Session hardening: idle timeout, absolute session age, and a TOTP second factor for the roles that need one.

Both middlewares look only at the *session* user. API clients authenticate with a token in the
``Authorization`` header (DRF ``TokenAuthentication``) and carry no session, so for them ``request.user``
is anonymous here; a browser session reaching ``/api/`` is held to exactly the same rules as a page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from qijian.accounts.choices import TWO_FACTOR_ROLES

LAST_SEEN = "qj_last_seen"
STARTED = "qj_started"
# Write the last-seen mark at most this often, so a page with many requests does not write the session each time.
_TOUCH_EVERY = 30
_API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(_API_PREFIX)


class IdleTimeoutMiddleware:
    """Ends a session server-side after ``SESSION_IDLE_TIMEOUT`` seconds without a request, or once it is
    older than ``SESSION_COOKIE_AGE`` (the absolute limit; Django's own expiry slides with every save)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last = int(session.get(LAST_SEEN, now))
            started = int(session.setdefault(STARTED, now))
            if now - last > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)  # flushes the session row
                return _expired(request)
            if now - last >= _TOUCH_EVERY or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)


def _expired(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "会话已超时,请重新登录"}, status=401)
    return redirect(f"{reverse(settings.LOGIN_URL)}?timeout=1")


def _exempt_paths() -> frozenset[str]:
    names = ("accounts:login", "accounts:logout", "accounts:two_factor", "accounts:enroll_totp")
    return frozenset(reverse(name) for name in names)


class TwoFactorRequiredMiddleware:
    """Users whose role needs two factors reach nothing but the 2FA pages (and static files) until verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._needs_second_factor(request) and not self._is_exempt(request.path):
            if _is_api(request):
                return JsonResponse({"detail": "需要先完成双因素认证"}, status=403)
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _needs_second_factor(request: HttpRequest) -> bool:
        user = request.user
        return (
            user.is_authenticated and getattr(user, "role", None) in TWO_FACTOR_ROLES and not user.is_verified()  # type: ignore[union-attr,attr-defined]
        )

    def _is_exempt(self, path: str) -> bool:
        if self._exempt is None:
            self._exempt = _exempt_paths()
        return path in self._exempt or path.startswith(settings.STATIC_URL)
