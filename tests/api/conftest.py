from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.test import APIClient

from qijian.accounts.api_tokens import issue_token_for_operator
from qijian.core.testing import County, build_county

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db: None, settings: Any) -> County:
    """The shared county, built with a fast password hasher: these tests are about the API, not
    about password storage, and twenty Argon2 hashes per test would dominate the run."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return build_county()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def token_of(county: County) -> Callable[..., str]:
    """An API token for a county user, issued the way operators issue them."""

    def issue(role: str, *, other: bool = False) -> str:
        return issue_token_for_operator(actor=None, user=county.user(role, other=other), operator="pytest")

    return issue


@pytest.fixture
def client_as(api: APIClient, token_of: Callable[..., str]) -> Callable[..., APIClient]:
    def authorise(role: str, *, other: bool = False) -> APIClient:
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_of(role, other=other)}")
        return api

    return authorise


@pytest.fixture
def wsgi_keeps_test_transaction() -> Iterator[None]:
    """Calling the WSGI app directly would close the test's connection at each request's end,
    as Django's own test client knows; keep the test transaction open instead."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
