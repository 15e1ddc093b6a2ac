"""Token authentication (qijian.core.api_auth.FastTokenAuthentication): DRF's answers, read fresh each time."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from qijian.core.api_auth import FastTokenAuthentication
from qijian.core.testing import County

pytestmark = pytest.mark.django_db


def test_a_valid_token_signs_in_its_user_with_the_stored_token(county: County, token_of: Callable[..., str]) -> None:
    key = token_of("inspector")
    user, token = FastTokenAuthentication().authenticate_credentials(key)
    stored = Token.objects.get(key=key)
    assert user == county.user("inspector") and user.role == "inspector"
    assert (token.key, token.user_id, token.created) == (stored.key, stored.user_id, stored.created)


def test_an_unknown_token_is_401_in_chinese(api: APIClient, county: County) -> None:
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = api.get("/api/v1/users/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "认证令牌无效。"}


def test_a_revoked_token_is_refused_at_once(api: APIClient, county: County, token_of: Callable[..., str]) -> None:
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_of('inspector')}")
    assert api.get("/api/v1/users/me/").status_code == 200
    Token.objects.filter(user=county.user("inspector")).delete()
    assert api.get("/api/v1/users/me/").status_code == 401


def test_the_token_of_a_deactivated_account_is_refused(
    api: APIClient, county: County, token_of: Callable[..., str]
) -> None:
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_of('inspector')}")
    user = county.user("inspector")
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = api.get("/api/v1/users/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "用户未激活或者已删除。"}
