"""``POST /api/v1/checkins/`` without DRF's per-request machinery: the phone's hot path.

A check-in is the one request the county sends hundreds of a second at the peak (docs/benchmarks.md).
DRF's request wrapping, content negotiation, authentication loop, permission loop and response
finalisation cost about as much CPU as the check-in's own checks and writes, so the ordinary case — a
JSON body, an API token of an inspector, a body that validates — is answered here, through the same
pieces the viewset uses: ``FastTokenAuthentication``, the shared ``CheckInBody`` validator, the service
``record_checkin``, ``render_checkin`` and DRF's ``JSONRenderer``. The answer is the viewset's, byte for
byte (tests/checkins/test_api_fast.py compares them).

Anything else — no token or a bad one, another role, another content type or ``Accept``, a body that is
not JSON or does not validate, any other method — is handed unchanged to ``CheckInViewSet``, so every
error body and status stays DRF's own. The only answer written here besides a success is the service's
refusal, which the viewset words the same way: ``400 {"detail": "…"}``.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.renderers import JSONRenderer

from qijian.accounts.choices import Role
from qijian.checkins import services
from qijian.checkins.api import (
    KEY_HEADER,
    CheckInBody,
    CheckInViewSet,
    _once,
    _service_fields,
    checkin_to_answer,
    render_checkin,
)
from qijian.core import rawsql
from qijian.core.api_auth import FastTokenAuthentication

_viewset = CheckInViewSet.as_view({"get": "list", "post": "create"})
_auth = FastTokenAuthentication()
_renderer = JSONRenderer()
_JSON_TYPES = frozenset({"application/json", "application/json; charset=utf-8"})
_ACCEPTED = frozenset({"", "*/*", "application/json"})
# What DRF's Response carries on this route besides the body (tests/checkins/test_api_fast.py).
_HEADERS = {"Allow": "GET, POST, HEAD, OPTIONS", "Vary": "Accept"}


@csrf_exempt  # token-authenticated only: a browser session's request is handed to the viewset
def checkins(request: HttpRequest) -> HttpResponse:
    """The check-in collection: a plain check-in POST answered here, everything else by the viewset."""
    if request.method == "POST":
        with rawsql.one_cursor():  # the token, the check-in's reads and writes share one cursor
            answer = _fast_create(request)
        if answer is not None:
            return answer
    return _viewset(request)  # type: ignore[no-any-return]


def _fast_create(request: HttpRequest) -> HttpResponse | None:
    """The check-in's answer, or None when the request is not the ordinary case (the viewset answers)."""
    if (request.content_type or "").lower() + _charset(request) not in _JSON_TYPES:
        return None
    if request.headers.get("Accept", "").strip().lower() not in _ACCEPTED:
        return None
    user = _inspector(request)
    data = _valid_body(request.body) if user is not None else None
    if user is None or data is None:
        return None
    request.user = user
    data["idempotency_key"] = request.headers.get(KEY_HEADER) or data.get("idempotency_key", "")
    try:
        row, created = services.record_checkin(actor=user, **data)
    except services.CheckInError as exc:
        return _json({"detail": str(exc)}, 400)
    return _json(render_checkin(row if created else checkin_to_answer(row.pk)), 201 if created else 200)


def _charset(request: HttpRequest) -> str:
    charset = (request.content_params or {}).get("charset", "")
    return f"; charset={charset.lower()}" if charset else ""


def _inspector(request: HttpRequest) -> Any:
    """The inspector account of a valid ``Authorization: Token <key>`` header, else None."""
    parts = request.headers.get("Authorization", "").split()
    if len(parts) != 2 or parts[0].lower() != "token":
        return None
    try:
        user, _created = _auth.user_for_key(parts[1])  # the token's row itself is not needed here
    except AuthenticationFailed:
        return None
    return user if getattr(user, "role", None) == Role.INSPECTOR else None


def _valid_body(raw: bytes) -> dict[str, Any] | None:
    """The service's keyword arguments from a body the shared validator accepts, else None."""
    try:
        parsed = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
        return _service_fields(dict(_once(CheckInBody).run_validation(parsed)))
    except (ValueError, serializers.ValidationError):
        return None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")  # DRF's strict JSON: no NaN, no Infinity


def _json(data: Any, status: int) -> HttpResponse:
    response = HttpResponse(_renderer.render(data), status=status, content_type="application/json")
    for name, value in _HEADERS.items():
        response.headers[name] = value
    return response
