"""Schemathesis over every operation of the OpenAPI schema, against the Django WSGI app.

Each operation gets a small, deterministic batch of generated requests (valid and invalid ones),
sent with the token of a user whose role may use it, plus one request for a known object. No
response may be a 5xx, answer with an undocumented status, or break its documented schema.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from qijian.accounts.api_tokens import issue_token_for_operator
from qijian.accounts.choices import Role
from qijian.core.testing import County
from qijian.wsgi import application

SCHEMA_URL = "/api/v1/schema/"
MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


def _operations() -> list[tuple[str, str]]:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [(method.upper(), path) for path, item in sorted(paths.items()) for method in sorted(item)]


OPERATIONS = _operations()

# Who calls each operation: a user of a role allowed to use it (the office reads the registries).
_ROLE_BY_RESOURCE = {"audit-events": Role.AUDITOR, "users": Role.SECADMIN}
_WRITER = Role.SYSADMIN


def _role_for(method: str, path: str) -> str | None:
    if path.endswith("/auth/token/"):
        return None  # password sign-in: no token
    if method != "GET":
        return _WRITER
    resource = path.removeprefix("/api/v1/").split("/")[0]
    return _ROLE_BY_RESOURCE.get(resource, Role.OFFICE)


@cache
def _schema() -> Any:
    return schemathesis.openapi.from_wsgi(SCHEMA_URL, application)


@pytest.fixture
def known_ids(county: County) -> dict[str, int]:
    """One visible object per resource (a declared conflict and the audit trail included), so every
    list has rows and every retrieve operation is also tried on an object that exists."""
    from qijian.audit.models import AuditEvent
    from qijian.org.services import declare_conflict

    conflict = declare_conflict(
        actor=None, inspector=county.inspector, enterprise=county.enterprise, reason="亲属", declared_on="2026-01-05"
    )
    first_event = AuditEvent.objects.order_by("seq").values_list("pk", flat=True).first()
    assert first_event is not None
    return {
        "regions": county.township.pk,
        "industries": county.industry.pk,
        "departments": county.dept.pk,
        "inspectors": county.inspector.pk,
        "enterprises": county.enterprise.pk,
        "users": county.user(Role.DEPT_ADMIN).pk,
        "conflicts": conflict.pk,
        "audit-events": first_event,
    }


def _valid_body(county: County, path: str) -> dict[str, Any]:
    """A request each write operation must accept (its 2xx body is then checked against the schema)."""
    from qijian.core.codes.uscc import make_uscc
    from qijian.core.testing import TEST_PASSWORD

    bodies: dict[str, dict[str, Any]] = {
        "/api/v1/auth/token/": {"username": county.user(Role.INSPECTOR).username, "password": TEST_PASSWORD},
        "/api/v1/conflicts/": {
            "inspector": county.inspector.pk,
            "enterprise": county.other_enterprise.pk,
            "reason": "曾任该企业顾问",
            "declared_on": "2026-02-01",
        },
        "/api/v1/enterprises/": {
            "uscc": make_uscc("91130921", "MA0TEC01"),
            "name": "沧县丁公司",
            "type": "company",
            "industry": county.industry.pk,
            "township": county.township.pk,
            "address": "沧县旧州镇",
            "legal_representative": "孙七",
        },
    }
    return bodies[path]


def _headers(county: County, role: str | None) -> dict[str, str]:
    if role is None:
        return {}
    key = issue_token_for_operator(actor=None, user=county.user(role), operator="pytest")
    return {"Authorization": f"Token {key}"}


def _modes(operation: Any) -> list[schemathesis.GenerationMode]:
    """Invalid requests need something to be invalid: a parameter or a body."""
    has_input = bool(operation.definition.raw.get("parameters") or operation.definition.raw.get("requestBody"))
    return MODES if has_input else MODES[:1]


def _fuzz(operation: Any, headers: dict[str, str], mode: schemathesis.GenerationMode) -> None:
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_has_no_server_error_and_conforms_to_schema(
    method: str, path: str, county: County, known_ids: dict[str, int], wsgi_keeps_test_transaction: None
) -> None:
    operation = _schema()[path][method]
    headers = _headers(county, _role_for(method, path))
    for mode in _modes(operation):
        _fuzz(operation, headers, mode)
    if method == "POST":
        case = operation.Case(body=_valid_body(county, path), media_type="application/json")
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        assert response.status_code in (200, 201), response.text
    if method == "GET" and "{id}" in path:
        resource = path.removeprefix("/api/v1/").split("/")[0]
        case = operation.Case(path_parameters={"id": known_ids[resource]})
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        assert response.status_code == 200, response.text


def test_schema_covers_every_router_route() -> None:
    from qijian.api_urls import router

    documented = {path for _, path in OPERATIONS}
    for prefix, _viewset, _basename in router.registry:
        assert f"/api/v1/{prefix}/" in documented
        assert f"/api/v1/{prefix}/{{id}}/" in documented
