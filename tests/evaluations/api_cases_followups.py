"""API write cases of the followups endpoints (merged into tests/api/write_cases.py)."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from qijian.accounts.choices import Role
from qijian.core.testing import County
from qijian.evaluations.models import FollowUp

Case = tuple[int | None, dict[str, Any]]


def _follow_up(county: County) -> FollowUp:
    """A pending follow-up of an unfiled on-site check-in, checked out through the services (auto-assigned
    to the first supervisor)."""
    from qijian.checkins import services

    inspector = county.user(Role.INSPECTOR)
    row, _ = services.record_checkin(actor=inspector, idempotency_key="api-follow-up", enterprise=county.enterprise)
    services.check_out(actor=inspector, checkin=row, result="no_problem", note="未发现问题")
    return FollowUp.objects.get(checkin=row)


def record_case(county: County, mp: pytest.MonkeyPatch) -> Case:
    return _follow_up(county).pk, {"method": "phone", "findings": "电话回访,企业对检查无意见。"}


def assign_case(county: County, mp: pytest.MonkeyPatch) -> Case:
    return _follow_up(county).pk, {"assignee": county.user(Role.SUPERVISOR, other=True).pk}


class Write(NamedTuple):
    """The shape of tests/api/write_cases.Write (not imported: that module imports this one)."""

    role: str | None
    build: Any


# (method, path) → Write(role, build); see tests/api/write_cases.py.
WRITES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/follow-ups/{id}/record/"): Write(Role.SUPERVISOR, record_case),
    ("POST", "/api/v1/follow-ups/{id}/assign/"): Write(Role.OFFICE, assign_case),
}


def populate(county: County, mp: pytest.MonkeyPatch) -> dict[str, int]:
    """One object of each resource of this module (API basename path segment → id), for retrieves."""
    return {"follow-ups": _follow_up(county).pk}
