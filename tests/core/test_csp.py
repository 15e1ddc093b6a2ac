"""qijian/core/csp.py: the settings' policy built once, and django-csp's own path for everything else."""

from __future__ import annotations

import csp.middleware as library
import pytest
from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import RequestFactory, override_settings

from qijian.core.csp import CSPMiddleware, settings_policy

HEADER = "Content-Security-Policy"


def _answer(
    middleware: library.CSPMiddleware, response: HttpResponseBase, request: HttpRequest | None = None
) -> HttpResponseBase:
    request = request or RequestFactory().get("/")
    middleware.process_request(request)
    return middleware.process_response(request, response)


def _both(response_factory):  # type: ignore[no-untyped-def]
    ours = _answer(CSPMiddleware(lambda r: HttpResponse()), response_factory())
    theirs = _answer(library.CSPMiddleware(lambda r: HttpResponse()), response_factory())
    return ours, theirs


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}  # django-csp's directive order is a set's


def test_a_plain_response_gets_the_same_policy_as_django_csp() -> None:
    ours, theirs = _both(HttpResponse)
    assert _directives(ours[HEADER]) == _directives(theirs[HEADER])
    assert "default-src 'self'" in _directives(ours[HEADER])


@override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": ["'self'", NONCE]}})
def test_a_nonce_used_by_the_view_reaches_the_header() -> None:
    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda r: HttpResponse())
    middleware.process_request(request)
    nonce = str(request.csp_nonce)  # type: ignore[attr-defined]
    response = middleware.process_response(request, HttpResponse())
    assert f"script-src 'self' 'nonce-{nonce}'" in _directives(response[HEADER])


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error() -> None:
    request = RequestFactory().get("/")
    _answer(CSPMiddleware(lambda r: HttpResponse()), HttpResponse(), request)
    with pytest.raises(library.CSPNonceError):
        str(request.csp_nonce)  # type: ignore[attr-defined]


def test_per_view_exemptions_and_updates_go_through_django_csp() -> None:
    exempt = csp_exempt()(lambda request: HttpResponse())(RequestFactory().get("/"))
    assert HEADER not in _answer(CSPMiddleware(lambda r: HttpResponse()), exempt)
    updated = csp_update({"img-src": "https://maps.example"})(lambda request: HttpResponse())(RequestFactory().get("/"))
    assert "https://maps.example" in _answer(CSPMiddleware(lambda r: HttpResponse()), updated)[HEADER]


def test_a_changed_setting_is_picked_up() -> None:
    before = settings_policy()
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        ours, theirs = _both(HttpResponse)
        assert ours[HEADER] == theirs[HEADER]
        assert "default-src 'none'" in _directives(ours[HEADER]) and "img-src" not in ours[HEADER]
    assert settings_policy() == before


def test_report_only_and_excluded_prefixes_take_django_csps_path() -> None:
    policy = {"DIRECTIVES": {"default-src": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        ours, theirs = _both(HttpResponse)
        assert ours["Content-Security-Policy-Report-Only"] == theirs["Content-Security-Policy-Report-Only"]
    with override_settings(CONTENT_SECURITY_POLICY={**policy, "EXCLUDE_URL_PREFIXES": ["/"]}):
        assert HEADER not in _both(HttpResponse)[0]
