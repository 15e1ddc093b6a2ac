"""The WSGI front (qijian/core/lean.py): a token check-in POST takes the short middleware chain and is
answered as the full stack answers it; every other request takes the full stack."""

from __future__ import annotations

import io
import json
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.wsgi import get_wsgi_application

from qijian.checkins import codes
from qijian.checkins.models import CheckIn
from qijian.core import lean
from tests.checkins import test_api_fast
from tests.checkins.visits import Visit

pytestmark = pytest.mark.django_db(transaction=True)  # the handlers close connections after each request

visit, token = test_api_fast.visit, test_api_fast.token  # its fixtures: a filed visit, an inspector's token
URL = "/api/v1/checkins/"
VOLATILE = {"Date", "X-Request-Id"}


@pytest.fixture
def handlers() -> dict[str, Any]:
    site = get_wsgi_application()
    return {"site": site, "front": lean.application(site)}


def environ(method: str, path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    env: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path, "wsgi.input": io.BytesIO(body)}
    env |= {"CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/json", "SERVER_NAME": "testserver"}
    env |= {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    setup_testing_defaults(env)
    return env


def call(app: Any, body: Any = None, *, method: str = "POST", path: str = URL, **headers: str) -> Any:
    seen: dict[str, Any] = {}

    def start_response(status: str, pairs: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen.update(status=int(status.split()[0]), headers=dict(pairs))

    chunks = app(environ(method, path, json.dumps(body).encode() if body is not None else b"", headers), start_response)
    try:
        content = b"".join(chunks)
    finally:
        chunks.close()  # request_finished, as a server would
    return seen["status"], seen["headers"], content


def checkin(visit: Visit) -> dict[str, Any]:
    code = codes.issue_enterprise_code(visit.county.enterprise)
    return {"enterprise_code": code, "companions": [visit.colleague.certificate_no]}


def test_only_a_token_post_to_a_lean_path_takes_the_short_chain() -> None:
    unused: Any = None  # start_response: the stand-in handlers never answer
    routes = lean.LeanRoutes(full=lambda e, s: "full", lean=lambda e, s: "lean")
    token = {"HTTP_AUTHORIZATION": "Token abc"}
    assert routes({"REQUEST_METHOD": "POST", "PATH_INFO": URL, **token}, unused) == "lean"
    assert routes({"REQUEST_METHOD": "POST", "PATH_INFO": URL, "HTTP_AUTHORIZATION": "token abc"}, unused) == "lean"
    assert routes({"REQUEST_METHOD": "GET", "PATH_INFO": URL, **token}, unused) == "full"
    assert routes({"REQUEST_METHOD": "POST", "PATH_INFO": URL}, unused) == "full"  # a browser session
    assert routes({"REQUEST_METHOD": "POST", "PATH_INFO": URL, "HTTP_AUTHORIZATION": "Bearer x"}, unused) == "full"
    assert routes({"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/filings/", **token}, unused) == "full"


def test_the_short_chain_answers_a_checkin_as_the_full_stack_does(
    visit: Visit, token: str, handlers: dict[str, Any]
) -> None:
    auth = {"Authorization": f"Token {token}", "Idempotency-Key": "lean-1"}
    created = call(handlers["front"], checkin(visit), **auth)
    assert created[0] == 201 and CheckIn.objects.count() == 1
    lean_replay, site_replay = (call(handlers[h], checkin(visit), **auth) for h in ("front", "site"))
    assert lean_replay[0] == site_replay[0] == 200 and lean_replay[2] == site_replay[2]
    assert json.loads(created[2]) == json.loads(lean_replay[2])
    # The one difference: the full stack's session middleware adds "Vary: Cookie" although a token
    # request's answer does not depend on cookies.
    expected = {k: v for k, v in site_replay[1].items() if k not in VOLATILE}
    expected["Vary"] = expected["Vary"].replace(", Cookie", "")
    for answer in (created, lean_replay):
        assert {k: v for k, v in answer[1].items() if k not in VOLATILE} == expected
        assert answer[1]["X-Request-Id"] and answer[1]["X-Frame-Options"] == "DENY"
        assert answer[1]["Content-Length"] == str(len(answer[2]))
        assert "Content-Security-Policy" in answer[1] and answer[1]["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("key", ["0" * 40, "not-a-token"])
def test_a_bad_token_on_the_short_chain_is_the_full_stacks_401(
    visit: Visit, handlers: dict[str, Any], key: str
) -> None:
    lean_answer, site_answer = (call(handlers[h], checkin(visit), Authorization=f"Token {key}") for h in handlers)
    assert lean_answer[0] == site_answer[0] == 401 and lean_answer[2] == site_answer[2]
    assert CheckIn.objects.count() == 0


def test_a_bad_body_on_the_short_chain_is_the_full_stacks_400(
    visit: Visit, token: str, handlers: dict[str, Any]
) -> None:
    auth = {"Authorization": f"Token {token}", "Idempotency-Key": "bad-1"}
    body = {"latitude": "91"}
    lean_answer, site_answer = (call(handlers[h], body, **auth) for h in ("front", "site"))
    assert lean_answer[0] == site_answer[0] == 400 and lean_answer[2] == site_answer[2]
    assert CheckIn.objects.count() == 0


def test_other_requests_take_the_full_stack(visit: Visit, token: str, handlers: dict[str, Any]) -> None:
    status, headers, _ = call(handlers["front"], method="GET", path="/accounts/login/")
    assert status == 200 and "Vary" in headers  # the session, CSRF and locale middleware ran
    listed = call(handlers["front"], method="GET", Authorization=f"Token {token}")
    assert listed[0] == 200 and json.loads(listed[2])["results"] == []


def test_the_short_chain_is_the_site_chain_without_the_session_pieces(settings: Any) -> None:
    """Every skipped name is a site middleware (none stale); the ones that shape the answer stay, in order."""
    chain = lean.lean_middleware()
    assert set(settings.MIDDLEWARE) >= lean.SKIPPED_MIDDLEWARE
    assert chain == [m for m in settings.MIDDLEWARE if m in chain] and not set(chain) & lean.SKIPPED_MIDDLEWARE
    kept = ("SecurityMiddleware", "RequestIdMiddleware", "CommonMiddleware", "XFrameOptionsMiddleware", "CSPMiddleware")
    assert [m.rpartition(".")[2] for m in chain if m.rpartition(".")[2] in kept] == list(kept)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.core.test_lean.NewMiddleware"]
    assert lean.lean_middleware()[-1] == "tests.core.test_lean.NewMiddleware"  # a new one is kept by default
