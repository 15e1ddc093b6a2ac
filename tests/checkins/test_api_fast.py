"""The check-in POST answered outside DRF (qijian/checkins/api_fast.py): the viewset's answers, byte for byte,
and every unusual request handed to the viewset."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from qijian.accounts.api_tokens import issue_token_for_operator
from qijian.audit.models import AuditEvent
from qijian.checkins import api_fast, codes
from qijian.checkins.api import CheckInBody
from qijian.checkins.models import CheckIn
from tests.checkins.test_api import CHECKIN_QUERIES
from tests.checkins.visits import Visit, build_visit

pytestmark = pytest.mark.django_db

URL = "/api/v1/checkins/"
FAST = "*/*"  # an Accept the fast path answers
VIEWSET = "application/json, */*"  # one it hands to the viewset (DRF's content negotiation)


@pytest.fixture
def visit(county: Any) -> Visit:
    return build_visit(county)


@pytest.fixture
def token(visit: Visit) -> str:
    return issue_token_for_operator(actor=None, user=visit.inspector_user, operator="pytest")


def post(token: str, payload: Any, *, key: str = "", accept: str = FAST, **headers: str) -> Any:
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Token {token}", "HTTP_ACCEPT": accept, **headers}
    if key:
        extra["HTTP_IDEMPOTENCY_KEY"] = key
    raw = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    return Client().generic("POST", URL, raw, content_type=extra.pop("content_type", "application/json"), **extra)


def body(visit: Visit, **extra: Any) -> dict[str, Any]:
    token = codes.issue_enterprise_code(visit.county.enterprise)
    return {"enterprise_code": token, "companions": [visit.colleague.certificate_no]} | extra


def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record which requests the viewset answered."""
    seen: list[str] = []
    viewset = api_fast._viewset

    def wrapped(request: Any) -> Any:
        seen.append(request.method)
        return viewset(request)

    monkeypatch.setattr(api_fast, "_viewset", wrapped)
    return seen


def same_answer(a: Any, b: Any) -> None:
    assert (a.status_code, a.content) == (b.status_code, b.content)
    for header in ("Content-Type", "Allow", "Vary", "X-Content-Type-Options", "X-Frame-Options"):
        assert a.headers.get(header) == b.headers.get(header), header


def test_a_checkin_is_answered_without_the_viewset_as_the_viewset_answers_it(
    visit: Visit, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = spy(monkeypatch)
    created = post(token, body(visit, latitude="38.2", longitude="116.8"), key="fast-1")
    assert created.status_code == 201 and seen == []
    fast_replay = post(token, body(visit), key="fast-1")
    viewset_replay = post(token, body(visit), key="fast-1", accept=VIEWSET)
    assert seen == ["POST"]
    same_answer(fast_replay, viewset_replay)
    assert fast_replay.status_code == 200 and json.loads(created.content) == json.loads(fast_replay.content)
    assert created.headers["Allow"] == viewset_replay.headers["Allow"]
    assert CheckIn.objects.count() == 1


def test_a_refusal_of_the_service_reads_as_the_viewsets(visit: Visit, token: str) -> None:
    fast, viewset = post(token, body(visit)), post(token, body(visit), accept=VIEWSET)  # no idempotency key
    same_answer(fast, viewset)
    assert fast.status_code == 400 and "幂等键" in fast.json()["detail"]
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    "payload",
    [{"latitude": "91", "companions": "x"}, {}, ["not", "an", "object"], b"{not json", b'{"latitude": NaN}', b""],
)
def test_a_body_the_validator_refuses_is_the_viewsets_400(
    visit: Visit, token: str, payload: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = spy(monkeypatch)
    fast = post(token, payload, key="bad-1")
    assert seen == ["POST"] and fast.status_code == 400
    same_answer(fast, post(token, payload, key="bad-1", accept=VIEWSET))
    if not isinstance(payload, bytes):
        expected = CheckInBody(data=payload)
        assert not expected.is_valid() and fast.json() == json.loads(json.dumps(expected.errors))
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    ("authorization", "status"),
    [("Token " + "0" * 40, 401), ("Token", 401), ("Token a b", 401), ("Bearer x", 401), ("", 401)],
)
def test_a_bad_or_missing_token_is_the_viewsets_401(
    visit: Visit, authorization: str, status: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = spy(monkeypatch)
    response = Client().post(URL, body(visit), content_type="application/json", HTTP_AUTHORIZATION=authorization)
    assert seen == ["POST"] and response.status_code == status
    assert response.json()["detail"]
    assert CheckIn.objects.count() == 0


def test_another_roles_token_is_the_viewsets_403(visit: Visit, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = spy(monkeypatch)
    office = issue_token_for_operator(actor=None, user=visit.county.user("office"), operator="pytest")
    response = post(office, body(visit), key="office-1")
    assert seen == ["POST"] and response.status_code == 403
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"accept": "text/html"},
        {"accept": "application/json; indent=4"},
        {"content_type": "application/x-www-form-urlencoded"},
        {"content_type": "application/json; charset=latin-1"},
    ],
)
def test_other_formats_are_left_to_the_viewset(
    visit: Visit, token: str, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = spy(monkeypatch)
    payload = body(visit)
    if headers.get("content_type", "").startswith("application/x-www"):
        payload = "enterprise_code=" + payload["enterprise_code"]  # type: ignore[assignment]
    post(token, payload, key="other-1", **headers)
    assert seen == ["POST"]


def test_a_listing_is_the_viewsets(visit: Visit, token: str, monkeypatch: pytest.MonkeyPatch) -> None:
    post(token, body(visit), key="list-1")
    seen = spy(monkeypatch)
    response = Client().get(URL, HTTP_AUTHORIZATION=f"Token {token}")
    assert seen == ["GET"] and response.status_code == 200 and len(response.json()["results"]) == 1


def test_the_fast_path_costs_no_more_queries_than_the_viewset(
    visit: Visit, token: str, django_assert_max_num_queries: Any
) -> None:
    post(token, body(visit), key="warm-up")
    with django_assert_max_num_queries(CHECKIN_QUERIES + 1):  # + the token lookup the viewset tests skip
        assert post(token, body(visit), key="counted").status_code == 201


def test_an_inactive_accounts_token_is_the_viewsets_401(
    visit: Visit, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    visit.inspector_user.is_active = False
    visit.inspector_user.save(update_fields=["is_active"])
    seen = spy(monkeypatch)
    response = post(token, body(visit), key="inactive-1")
    assert seen == ["POST"] and response.status_code == 401 and CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    ("companions", "expected"),
    [
        (["colleague", "colleague"], 201),  # named twice: one companion
        (["colleague", "own"], 201),  # the scanner named as a companion is ignored, as by the service
        (["colleague", "000000"], 400),  # an unknown companion is refused by number
        ([" colleague "], 201),  # spaces around a number, as the service trims them
    ],
)
def test_companions_are_the_services_companions_on_both_paths(
    visit: Visit, token: str, companions: list[str], expected: int
) -> None:
    numbers = {"colleague": visit.colleague.certificate_no, "own": visit.county.inspector.certificate_no}
    named = [c.replace(c.strip(), numbers.get(c.strip(), c.strip())) for c in companions]
    fast = post(token, body(visit, companions=named), key="comp-fast")
    viewset = post(token, body(visit, companions=named), key="comp-viewset", accept=VIEWSET)
    assert fast.status_code == viewset.status_code == expected
    if expected == 201:
        assert [p["id"] for p in fast.json()["companions"]] == [visit.colleague.pk]
        assert fast.json()["companions"] == viewset.json()["companions"]
    else:
        assert fast.json() == viewset.json() and "000000" in fast.json()["detail"]


def test_the_event_of_a_fast_checkin_carries_the_request_id(visit: Visit, token: str) -> None:
    response = post(token, body(visit), key="traced-1")
    event = AuditEvent.objects.get(action="checkins.record_checkin")
    assert response.status_code == 201 and event.request_id and event.request_id == response.headers["X-Request-ID"]
