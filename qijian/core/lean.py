"""A WSGI front that sends the phone's check-in POST through a shorter middleware chain.

The check-in is the one request the county sends hundreds of a second at the peak (docs/benchmarks.md).
A request that carries an API token (``Authorization: Token …``) has no session, no CSRF cookie, no
flash messages and no sign-in form, so most of the middleware stack has nothing to do for it, yet
each piece costs CPU on every request. ``LeanRoutes`` hands exactly such requests — ``POST`` to one
of ``LEAN_PATHS`` with a token header — to a second Django handler whose chain keeps what shapes the
response (security headers, request id, language, length, frame and content-security policies) and whose URLconf
resolves those paths first; everything else, a browser's session POST to the same URL included, goes
through the full stack. Both are Django's own ``WSGIHandler``: the same request and response classes,
the same ``request_started``/``request_finished`` signals (database connections are managed as usual),
the same error handling. tests/core/test_lean.py holds the two answers' headers equal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase
from django.utils.module_loading import import_string

LEAN_URLCONF = "qijian.lean_urls"
LEAN_PATHS = frozenset({"/api/v1/checkins/"})
# The site's middleware a token-authenticated API request has no use for: browser sessions, sign-in and
# static files. Everything else in settings.MIDDLEWARE runs on the short chain too, in the same order, so a
# middleware added to the site later is kept there unless it is named here on purpose.
SKIPPED_MIDDLEWARE = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "qijian.accounts.middleware.IdleTimeoutMiddleware",
        "qijian.accounts.middleware.TwoFactorRequiredMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "axes.middleware.AxesMiddleware",
    }
)


def lean_middleware() -> list[str]:
    """settings.MIDDLEWARE without ``SKIPPED_MIDDLEWARE``, in the site's order."""
    return [path for path in settings.MIDDLEWARE if path not in SKIPPED_MIDDLEWARE]


class LeanHandler(WSGIHandler):
    """Django's WSGI handler with the middleware chain ``middleware`` and the URLconf ``urlconf``."""

    def __init__(self, *, middleware: Iterable[str], urlconf: str) -> None:
        self.middleware_paths, self.urlconf = tuple(middleware), urlconf
        super().__init__()

    def load_middleware(self, is_async: bool = False) -> None:
        """Build the chain as ``BaseHandler.load_middleware`` does from settings.MIDDLEWARE (sync only)."""
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(self.middleware_paths):
            try:
                middleware = import_string(path)(handler)
            except MiddlewareNotUsed:  # a middleware may switch itself off, as under Django's loader
                continue
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        request.urlconf = self.urlconf  # type: ignore[attr-defined]  # its paths, then the whole site's (reverse() works as usual)
        return super().get_response(request)


class LeanRoutes:
    """The WSGI application: ``lean`` for a token-authenticated POST to one of ``paths``, else ``full``."""

    def __init__(self, full: Callable[..., Any], lean: Callable[..., Any], paths: Iterable[str] = LEAN_PATHS) -> None:
        self.full, self.lean, self.paths = full, lean, frozenset(paths)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        return (self.lean if self.is_lean(environ) else self.full)(environ, start_response)

    def is_lean(self, environ: dict[str, Any]) -> bool:
        return (
            environ.get("REQUEST_METHOD") == "POST"
            and environ.get("PATH_INFO") in self.paths
            and environ.get("HTTP_AUTHORIZATION", "")[:6].lower() == "token "
        )


def application(full: Callable[..., Any]) -> LeanRoutes:
    return LeanRoutes(full, LeanHandler(middleware=lean_middleware(), urlconf=LEAN_URLCONF))
