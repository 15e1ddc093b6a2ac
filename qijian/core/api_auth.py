"""API authentication. Kept apart from qijian.core.api: DRF imports it while rest_framework.views loads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from qijian.accounts.choices import TWO_FACTOR_ROLES
from qijian.core import rawsql


class FastTokenAuthentication(TokenAuthentication):
    """DRF's token authentication with its one lookup written by hand (qijian/core/rawsql.py).

    Same header, same answers (``Invalid token.`` / ``User inactive or deleted.``, translated), same
    ``(user, token)``; the token and its user are read fresh on every request, so a revoked token or a
    deactivated account is refused at once. DRF's ``select_related`` query cost more CPU to build than
    the rest of a check-in's reads together (docs/benchmarks.md)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, created = self.user_for_key(key)
        token = Token(key=key, user=user, created=rawsql.convert(Token, "created", created))
        token._state.adding = False
        return user, token

    def user_for_key(self, key: str) -> tuple[Any, Any]:
        """The active user of token ``key`` and the token's raw creation time, or AuthenticationFailed."""
        user_model = get_user_model()
        users, tokens = rawsql.table(user_model), rawsql.table(Token)
        sql = f"SELECT {rawsql.columns(user_model, 'u')}, t.created FROM {users} u JOIN {tokens} t ON t.user_id = u.id"  # noqa: S608
        sql += " WHERE t.key = %s"
        found = rawsql.load_rows(user_model, sql, [key])
        if not found:
            raise AuthenticationFailed(_("Invalid token."))
        user, (created,) = found[0]
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return user, created


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
