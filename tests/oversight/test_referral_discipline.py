"""The discipline role reads approved referrals and their packets — and nothing else (issue 7 item 5).

Every route of the project (the access matrix's walk, with the matrix's objects created) is requested
by a discipline user: outside the referral routes and a short list of personal / reference pages, each
answers 403/404 (or, for an API list, no rows). The reference pages it may open show no business data.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from qijian.accounts.api_tokens import issue_token_for_operator
from qijian.core.testing import County, build_county, login_verified
from tests.access_rules import populate_all
from tests.test_access_matrix import body, checked_routes, refused

# Routes a discipline user may open besides its referrals: its own account, home, inbox, sign-out and
# token pages, the API root and schema, and the national code tables (GB/T 2260 regions, GB/T 4754 industries).
PERSONAL = {
    "core:home",
    "accounts:two_factor",
    "accounts:enroll_totp",
    "accounts:me",
    "oversight:inbox",
    "api:api-root",
    "api:user-me",
    "api:region-list",
    "api:region-detail",
    "api:industry-list",
    "api:industry-detail",
    "admin:login",  # the admin's sign-in form, which refuses a non-staff user
    "admin:logout",
}
REFERRALS = ("oversight:referral_", "api:referral-")


@pytest.fixture
def county(db: None, settings: Any, tmp_path: Any) -> County:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path)
    from qijian.audit.models import AuditEvent
    from qijian.org.services import declare_conflict

    county = build_county()
    county.conflict = declare_conflict(  # type: ignore[attr-defined]
        actor=None, inspector=county.inspector, enterprise=county.enterprise, reason="亲属", declared_on="2026-01-05"
    )
    populate_all(county)
    event = AuditEvent.objects.order_by("seq").first()
    assert event is not None
    county.first_event_seq, county.first_event_pk = event.seq, event.pk  # type: ignore[attr-defined]
    return county


def _discipline(county: County) -> Client:
    client = Client(raise_request_exception=False)
    login_verified(client, county.user("discipline"))
    return client


def test_a_discipline_user_is_refused_every_page_and_api_outside_its_referrals(county: County) -> None:
    client, admitted = _discipline(county), []
    for route, rule, url in checked_routes(county):
        if rule.post_only or rule.kind == "public" or route.key in PERSONAL or route.key.startswith(REFERRALS):
            continue
        response = client.get(url)
        if not refused(response, rule):
            admitted.append(f"{url} ({route.key}): {response.status_code}")
    assert not admitted, "discipline reached:\n" + "\n".join(admitted)


def test_the_pages_a_discipline_user_may_open_show_no_business_data(county: County) -> None:
    client = _discipline(county)
    # The referral names the first department and enterprise; nothing of the second may show.
    leaks = [county.other_enterprise.name, county.other_enterprise.uscc, county.other_dept.name]
    leaks += [county.inspector.certificate_no, county.other_inspector.certificate_no]
    for route, rule, url in checked_routes(county):
        if route.key in PERSONAL and not rule.api:
            page = body(client.get(url))
            assert not [text for text in leaks if text in page], route.key


def test_every_api_list_gives_a_discipline_token_403_or_no_rows_but_its_referrals(county: County) -> None:
    from qijian.api_urls import router

    key = issue_token_for_operator(actor=None, user=county.user("discipline"), operator="pytest")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    reference = {"regions", "industries"}
    for prefix, _viewset, _basename in router.registry:
        response = api.get(f"/api/v1/{prefix}/")
        if prefix == "referrals":
            assert [r["number"] for r in response.json()["results"]] == [county.referral.number]  # type: ignore[attr-defined]
        elif prefix not in reference:
            rows = response.json().get("results") if response.status_code == 200 else []
            assert response.status_code in (403, 404) or rows == [], prefix
