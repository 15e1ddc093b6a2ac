"""API write cases of the complaints endpoints (merged into tests/api/write_cases.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pytest

from qijian.core.testing import County
from qijian.evaluations.models import Complaint
from qijian.evaluations.services import complaints as services

Case = tuple[int | None, dict[str, Any]]


class Write(NamedTuple):
    """The shape of tests/api/write_cases.Write (not imported: that module imports this one)."""

    role: str | None
    build: Callable[[County, pytest.MonkeyPatch], Case]


def _complaint(county: County) -> Complaint:
    return services.register_complaint(
        actor=county.user("office"), summary="执法人员检查时未出示证件。", complainant="刘先生", contact="13931700158"
    )


def _accepted(county: County) -> Complaint:
    return services.accept_complaint(
        actor=county.user("office"), complaint=_complaint(county), handler=county.user("supervisor")
    )


def _create(county: County, mp: pytest.MonkeyPatch) -> Case:
    body = {"summary": "检查人员要求企业购买指定产品。", "contact": "liu@example.cn", "department": county.dept.pk}
    return None, body


def _accept(county: County, mp: pytest.MonkeyPatch) -> Case:
    return _complaint(county).pk, {"handler": county.user("supervisor").pk}


def _reply(county: County, mp: pytest.MonkeyPatch) -> Case:
    return _accepted(county).pk, {"outcome": "已核实,约谈相关执法人员。"}


def _reject(county: County, mp: pytest.MonkeyPatch) -> Case:
    return _complaint(county).pk, {"reason": "不属于行政执法检查行为。"}


# (method, path) → Write(role, build); see tests/api/write_cases.py.
WRITES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/complaints/"): Write("office", _create),
    ("POST", "/api/v1/complaints/{id}/accept/"): Write("supervisor", _accept),
    ("POST", "/api/v1/complaints/{id}/reply/"): Write("supervisor", _reply),
    ("POST", "/api/v1/complaints/{id}/reject/"): Write("office", _reject),
}


def populate(county: County, mp: pytest.MonkeyPatch) -> dict[str, int]:
    """One object of each resource of this module (API basename path segment → id), for retrieves."""
    return {"complaints": _complaint(county).pk}
