from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from qijian.core.testing import County, login_verified


@pytest.fixture
def client_of(county: County) -> Callable[..., Client]:
    def login(role: str, *, other: bool = False) -> Client:
        client = Client()
        login_verified(client, county.user(role, other=other))
        return client

    return login
