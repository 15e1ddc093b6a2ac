from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from qijian.core.testing import County, login_verified
from qijian.oversight.models import Alert
from qijian.oversight.rules import Finding
from qijian.oversight.services import raise_alert

MakeAlert = Callable[..., Alert]


@pytest.fixture
def make_alert(county: County) -> MakeAlert:
    counter = iter(range(1, 10_000))

    def make(rule: str = "R06", severity: str = "warning", message: str = "", **subjects: Any) -> Alert:
        n = next(counter)
        subjects.setdefault("department", county.dept)
        finding = Finding(rule=rule, severity=severity, message=message or f"预警说明{n}", facts={"n": n})
        alert = raise_alert(finding=finding, key=f"test:{n}", **subjects)
        assert alert is not None
        return alert

    return make


@pytest.fixture
def client_of(county: County) -> Callable[..., Client]:
    def login(role: str, *, other: bool = False) -> Client:
        client = Client()
        login_verified(client, county.user(role, other=other))
        return client

    return login
