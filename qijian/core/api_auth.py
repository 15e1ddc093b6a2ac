"""API authentication. Kept apart from qijian.core.api: DRF imports it while rest_framework.views loads."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from qijian.accounts.choices import TWO_FACTOR_ROLES


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session sign-in for the API, refusing sessions that still owe their second factor.

    The 2FA middleware lets /api/ through (tokens carry no session), so the check for
    browser sessions of two-factor roles is made here instead.
    """

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if getattr(user, "role", None) in TWO_FACTOR_ROLES and not _is_verified(user):
            return None
        return result


def _is_verified(user: Any) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
