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
from tests.api.write_cases import WRITES, populate

SCHEMA_URL = "/api/v1/schema/"
MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


def _operations() -> list[tuple[str, str]]:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [(method.upper(), path) for path, item in sorted(paths.items()) for method in sorted(item)]


OPERATIONS = _operations()

# Who reads: a user of a role allowed to (the office reads everything but the audit trail and users).
# Who writes: tests/api/write_cases.py names the role and builds the state each write needs.
_ROLE_BY_RESOURCE = {"audit-events": Role.AUDITOR, "users": Role.SECADMIN}


def _role_for(method: str, path: str) -> str | None:
    if method != "GET":
        return WRITES[(method, path)].role
    resource = path.removeprefix("/api/v1/").split("/")[0]
    return _ROLE_BY_RESOURCE.get(resource, Role.OFFICE)


@cache
def _schema() -> Any:
    return schemathesis.openapi.from_wsgi(SCHEMA_URL, application)


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


def _call_valid(operation: Any, headers: dict[str, str], path_id: int | None, body: dict[str, Any] | None) -> Any:
    kwargs: dict[str, Any] = {"path_parameters": {"id": path_id}} if path_id is not None else {}
    if body is not None:
        kwargs |= {"body": body, "media_type": "application/json"}
    case = operation.Case(**kwargs)
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
    return response


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_has_no_server_error_and_conforms_to_schema(
    method: str, path: str, county: County, monkeypatch: pytest.MonkeyPatch, wsgi_keeps_test_transaction: None
) -> None:
    """The valid request goes first (fuzzed writes could otherwise change the state it needs)."""
    operation = _schema()[path][method]
    headers = _headers(county, _role_for(method, path))
    if method == "GET":
        known = populate(county, monkeypatch)
        if "{id}" in path:
            response = _call_valid(operation, headers, known[path.removeprefix("/api/v1/").split("/")[0]], None)
            assert response.status_code == 200, response.text
    else:
        path_id, body = WRITES[(method, path)].build(county, monkeypatch)
        response = _call_valid(operation, headers, path_id, None if method == "DELETE" else body)
        assert response.status_code in (200, 201, 204), response.text
    for mode in _modes(operation):
        _fuzz(operation, headers, mode)


def test_every_write_operation_has_a_valid_case() -> None:
    writes = {(m, p) for m, p in OPERATIONS if m != "GET"}
    assert writes == set(WRITES), writes ^ set(WRITES)


def test_schema_covers_every_router_route() -> None:
    from qijian.api_urls import router

    documented = {path for _, path in OPERATIONS}
    for prefix, viewset, _basename in router.registry:
        assert f"/api/v1/{prefix}/" in documented
        if hasattr(viewset, "retrieve"):  # a read-only report (the quarterly summary) has no detail route
            assert f"/api/v1/{prefix}/{{id}}/" in documented
