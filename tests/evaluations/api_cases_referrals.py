"""API write cases of the referrals endpoints (merged into tests/api/write_cases.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from qijian.accounts.choices import Role
from qijian.core.testing import County
from qijian.oversight.models import Alert, Referral
from qijian.oversight.rules import Finding
from qijian.oversight.services import raise_alert

Case = tuple[int | None, dict[str, Any]]


def _alert(county: County, key: str) -> Alert:
    finding = Finding(rule="R01", severity="critical", message="未报备入企")
    alert = raise_alert(finding=finding, key=f"R01:api-{key}", department=county.dept, enterprise=county.enterprise)
    assert alert is not None
    return alert


def _proposed(county: County, key: str) -> Referral:
    from qijian.oversight.referrals import approve_referral, propose_referral

    supervisor = county.user(Role.SUPERVISOR)
    referral = propose_referral(actor=supervisor, alert=_alert(county, key), reason="未报备入企检查")
    return approve_referral(actor=supervisor, referral=referral)  # the supervisor's slot: the office's is open


def _propose(county: County, mp: pytest.MonkeyPatch) -> Case:
    return None, {"alert": _alert(county, "propose").pk, "reason": "执法人员未报备入企检查,建议移送"}


def _approve(county: County, mp: pytest.MonkeyPatch) -> Case:
    return _proposed(county, "approve").pk, {}


def _reject(county: County, mp: pytest.MonkeyPatch) -> Case:
    return _proposed(county, "reject").pk, {"reason": "证据不足,退回补充"}


@dataclass(frozen=True)
class Write:
    """Same shape as tests/api/write_cases.Write (which imports this module before defining its own)."""

    role: str | None
    build: Callable[[County, pytest.MonkeyPatch], Case]


# (method, path) → Write(role, build); see tests/api/write_cases.py.
WRITES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/referrals/"): Write(Role.OFFICE, _propose),
    ("POST", "/api/v1/referrals/{id}/approve/"): Write(Role.OFFICE, _approve),
    ("POST", "/api/v1/referrals/{id}/reject/"): Write(Role.OFFICE, _reject),
}


def populate(county: County, mp: pytest.MonkeyPatch) -> dict[str, int]:
    """One object of each resource of this module (API basename path segment → id), for retrieves."""
    from tests.access_rules.referrals import approved_referral

    return {"referrals": approved_referral(county, key="api").pk}
