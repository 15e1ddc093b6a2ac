"""Helpers of the check-in tests (services, API, pages, idempotency): a filing covering now, the
first department's second inspector and a signed-in inspector account for that colleague."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from qijian.accounts.models import User
from qijian.core.testing import County, make_user
from qijian.inspections.models import Filing
from qijian.org.models import Inspector
from tests.inspections.conftest import Setup, build_setup


@dataclass
class Visit:
    setup: Setup
    filing: Filing
    colleague_user: User

    @property
    def county(self) -> County:
        return self.setup.county

    @property
    def inspector_user(self) -> User:
        return self.county.user("inspector")

    @property
    def colleague(self) -> Inspector:
        return self.setup.colleague


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def key() -> str:
    return uuid.uuid4().hex


def make_filing(setup: Setup, *, start: dt.datetime, end: dt.datetime, number: str, **extra: Any) -> Filing:
    """An ACTIVE urgent filing written directly (the filing services are tested in tests/inspections)."""
    county = setup.county
    fields: dict[str, Any] = {
        "department": county.dept,
        "item": setup.item,
        "kind": "urgent",
        "urgent_reason": "complaint",
        "filed_by": county.user("dept_admin"),
        "filed_at": start,
        "window_start": start,
        "window_end": end,
    }
    filing = Filing.objects.create(number=number, **(fields | extra))
    filing.enterprises.set([county.enterprise])
    filing.inspectors.set(setup.pair)
    return filing


def build_visit(county: County) -> Visit:
    setup = build_setup(county)
    filing = make_filing(setup, start=now() - dt.timedelta(hours=1), end=now() + dt.timedelta(hours=8), number="BB1")
    colleague_user = make_user("inspector_colleague", "inspector", department=county.dept, inspector=setup.colleague)
    return Visit(setup, filing, colleague_user)
