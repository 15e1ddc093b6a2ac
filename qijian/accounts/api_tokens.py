"""API tokens issued by operators (``manage.py issue_api_token``), audited like every other write.

Users of two-factor roles cannot get a token with a password alone: they get one either from their
own verified session (``accounts.services.issue_api_token``) or from an operator running the command,
which records who ran it. The token itself never enters the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token

from qijian.accounts.models import User
from qijian.audit.services import record_event


class TokenRefusedError(ValueError):
    """The account may not hold an API token; the message is shown to the operator."""


@transaction.atomic
def issue_token_for_operator(*, actor: Any, user: User, operator: str) -> str:
    """Replace ``user``'s API token with a new one; ``operator`` names the person at the console."""
    if not user.is_active:
        raise TokenRefusedError(f"账号 {user.username} 已停用,不能签发 API 令牌")
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    record_event(
        actor=actor,
        action="accounts.issue_api_token",
        target=user,
        after={"issued": True, "via": "manage.py issue_api_token", "operator": operator[:64]},
    )
    return str(token.key)


@transaction.atomic
def revoke_token_for_operator(*, actor: Any, user: User, operator: str) -> int:
    removed, _ = Token.objects.filter(user=user).delete()
    record_event(
        actor=actor,
        action="accounts.revoke_api_token",
        target=user,
        after={"revoked": removed, "via": "manage.py issue_api_token --revoke", "operator": operator[:64]},
    )
    return removed
