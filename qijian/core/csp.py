"""django-csp's middleware, with the settings' policy built once instead of on every response.

No view here uses a nonce or a per-view policy, so nearly every response carries the same header, and
django-csp rebuilds that string from the settings for each one (0.1 ms a request; docs/benchmarks.md).
A response that does use a nonce, a per-view policy or an exemption, and every response under DEBUG, a
report-only policy or excluded URL prefixes, goes through django-csp's own code unchanged.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as _LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

_PER_RESPONSE = ("_csp_exempt", "_csp_config", "_csp_update", "_csp_replace")


@cache
def settings_policy() -> str:
    """The header of ``CONTENT_SECURITY_POLICY`` as django-csp builds it (no nonce, no per-view change)."""
    return build_policy()


@receiver(setting_changed)
def _forget_policy(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        settings_policy.cache_clear()


class CSPMiddleware(_LibraryCSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not _plain(request, response):
            return super().process_response(request, response)
        policy = settings_policy()
        if policy and HEADER not in response:
            response[HEADER] = policy
        # As django-csp does: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


def _plain(request: HttpRequest, response: HttpResponseBase) -> bool:
    """True when django-csp would write exactly ``settings_policy()`` (and no report-only header)."""
    if settings.DEBUG or getattr(request, "_csp_nonce", None) is not None:
        return False
    if any(getattr(response, name, None) is not None for name in _PER_RESPONSE):
        return False
    if any(getattr(response, name + "_ro", None) is not None for name in _PER_RESPONSE):
        return False
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return not policy.get("EXCLUDE_URL_PREFIXES") and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
