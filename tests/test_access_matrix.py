"""The access matrix: every URL pattern of the project, and who may reach it.

The test walks the whole URL tree (pages, the API router, the admin), so a new endpoint cannot
escape: a pattern missing from ``TABLE`` fails ``test_every_url_pattern_is_classified`` with its
name. For every route and every role (a user of the first department/enterprise and one of the
other) it then checks: anonymous users are sent to sign-in (pages) or refused (API); roles outside
the route's role set get 403/404; users of another department or enterprise get 403/404 on every
object of the first one and do not see it in lists; roles that may not write are refused POST.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from qijian.accounts.choices import Role
from qijian.audit.models import AuditEvent
from qijian.core.testing import County, build_county, login_verified
from tests.access_rules import EXTRA_TABLE, populate_all
from tests.access_rules_base import (
    ADMIN,
    ALL,
    COUNTY_WIDE,
    IMPORTERS,
    NONE,
    PUBLIC,
    PUBLIC_API,
    REGISTRY,
    STAFF,
    Rule,
    _pk,
    _user_pk,
    api,
    page,
    roles,
)

TABLE: dict[str, Rule] = {
    # --- core -------------------------------------------------------------------------------------
    "core:home": page(),
    # --- accounts ---------------------------------------------------------------------------------
    "accounts:login": PUBLIC,
    "accounts:two_factor": page(),
    "accounts:enroll_totp": page(),
    "accounts:logout": page(post_only=True, writers=ALL),
    "accounts:me": page(),
    "accounts:issue_token": page(post_only=True, writers=ALL),
    "accounts:revoke_own_token": page(post_only=True, writers=ALL),
    "accounts:user_list": page(
        roles("sysadmin", "dept_admin"), scoped=roles("dept_admin"), marker=lambda c: c.user("inspector").username
    ),
    "accounts:user_create": page(roles("sysadmin"), writers=roles("sysadmin")),
    "accounts:user_detail": page(
        roles("sysadmin", "dept_admin"), scoped=roles("dept_admin"), obj=_user_pk("inspector")
    ),
    "accounts:user_change_role": page(
        roles("sysadmin"), obj=_user_pk("inspector"), writers=roles("sysadmin"), post_only=True
    ),
    "accounts:user_reset_password": page(
        roles("sysadmin"), obj=_user_pk("inspector"), writers=roles("sysadmin"), post_only=True
    ),
    "accounts:user_deactivate": page(
        roles("sysadmin"), obj=_user_pk("inspector"), writers=roles("sysadmin"), post_only=True
    ),
    "accounts:security": page(roles("secadmin")),
    "accounts:unlock": page(roles("secadmin"), writers=roles("secadmin"), post_only=True),
    "accounts:reset_totp": page(roles("secadmin"), obj=_user_pk("office"), writers=roles("secadmin"), post_only=True),
    "accounts:revoke_token": page(
        roles("secadmin"), obj=_user_pk("inspector"), writers=roles("secadmin"), post_only=True
    ),
    # --- organisation registry ----------------------------------------------------------------------
    "org:department_list": page(STAFF),
    "org:department_detail": page(STAFF, obj=_pk("dept")),
    "org:inspector_list": page(
        COUNTY_WIDE | roles("dept_admin", "inspector"),
        scoped=roles("dept_admin", "inspector"),
        marker=lambda c: c.inspector.certificate_no,
    ),
    "org:inspector_detail": page(
        COUNTY_WIDE | roles("dept_admin", "inspector"), scoped=roles("dept_admin", "inspector"), obj=_pk("inspector")
    ),
    # --- enterprise registry ------------------------------------------------------------------------
    "enterprises:list": page(REGISTRY, scoped=roles("enterprise"), marker=lambda c: c.enterprise.uscc),
    "enterprises:detail": page(REGISTRY, scoped=roles("enterprise"), obj=_pk("enterprise")),
    # --- audit trail ----------------------------------------------------------------------------------
    "audit:list": page(roles("auditor")),
    "audit:detail": page(roles("auditor"), obj=lambda c: {"seq": c.first_event_seq}),
    "audit:verify": page(roles("auditor"), writers=roles("auditor")),
    "audit:checkpoints": page(roles("auditor")),
    "audit:export_checkpoints": page(roles("auditor")),
    # --- imports and exports ------------------------------------------------------------------------
    "imports:enterprises": page(roles("office", "sysadmin"), writers=roles("office", "sysadmin")),
    "imports:inspectors": page(IMPORTERS, writers=IMPORTERS),
    "imports:enterprises_template": page(roles("office", "sysadmin")),
    "imports:inspectors_template": page(IMPORTERS),
    "imports:enterprises_export": page(
        roles("office", "sysadmin"), marker=lambda c: c.enterprise.uscc, query="?format=csv"
    ),
    "imports:inspectors_export": page(
        IMPORTERS, scoped=roles("dept_admin"), marker=lambda c: c.inspector.certificate_no, query="?format=csv"
    ),
    # An import's result belongs to the session that ran it: everyone else gets 404.
    "imports:result": page(NONE, obj=lambda c: {"token": "0" * 32}),
    "imports:report": page(NONE, obj=lambda c: {"token": "0" * 32}),
    # --- REST API -------------------------------------------------------------------------------------
    "api:schema": PUBLIC_API,
    "api:token": Rule("public", api=True, post_only=True, writers=ALL),
    "api:api-root": api(),
    "api:not_found": Rule("public", api=True, path="/api/v1/no-such-resource/"),
    "api:region-list": api(),
    "api:region-detail": api(obj=_pk("township")),
    "api:industry-list": api(),
    "api:industry-detail": api(obj=_pk("industry")),
    "api:department-list": api(STAFF),
    "api:department-detail": api(STAFF, obj=_pk("dept")),
    "api:inspector-list": api(
        STAFF, scoped=roles("dept_admin", "inspector"), marker=lambda c: c.inspector.certificate_no
    ),
    "api:inspector-detail": api(STAFF, scoped=roles("dept_admin", "inspector"), obj=_pk("inspector")),
    "api:conflict-list": api(
        STAFF,
        scoped=roles("dept_admin", "inspector"),
        marker=lambda c: c.conflict.reason,
        writers=roles("dept_admin", "sysadmin"),
    ),
    "api:conflict-detail": api(STAFF, scoped=roles("dept_admin", "inspector"), obj=_pk("conflict")),
    "api:enterprise-list": api(
        REGISTRY, scoped=roles("enterprise"), marker=lambda c: c.enterprise.uscc, writers=roles("sysadmin")
    ),
    "api:enterprise-detail": api(REGISTRY, scoped=roles("enterprise"), obj=_pk("enterprise")),
    "api:user-list": api(
        roles("sysadmin", "secadmin", "dept_admin"),
        scoped=roles("dept_admin"),
        marker=lambda c: c.user("inspector").username,
    ),
    "api:user-me": api(),
    "api:user-detail": api(
        roles("sysadmin", "secadmin", "dept_admin"), scoped=roles("dept_admin"), obj=_user_pk("inspector")
    ),
    "api:auditevent-list": api(roles("auditor")),
    "api:auditevent-detail": api(roles("auditor"), obj=lambda c: {"pk": c.first_event_pk}),
}

TABLE |= EXTRA_TABLE

# Families of generated routes, classified as a whole: every Django admin route sits behind
# admin_view (staff only) — the checks below still visit each one.
FAMILIES: dict[str, Rule] = {"admin/": ADMIN}
ADMIN_PUBLIC = {"admin:login", "admin:logout"}  # sign-in form; sign-out of nobody


# --- the URL tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the route text for unnamed patterns
    text: str  # the full route, for messages and for unnamed patterns' URLs
    name: str | None


def walk(patterns: list[Any], prefix: str = "", namespace: str | None = None) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            text = prefix + str(pattern.pattern)
            yield Route(name or text, text, name)


def all_routes() -> list[Route]:
    return list(walk(get_resolver().url_patterns))


def rule_for(route: Route) -> Rule | None:
    if route.key in TABLE:
        return TABLE[route.key]
    return next((rule for prefix, rule in FAMILIES.items() if route.text.startswith(prefix)), None)


_SAMPLE = {"int": "1", "path": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def sample_path(text: str) -> str:
    """A concrete URL for an unnamed route (admin's generated patterns, catch-alls)."""
    text = re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLE.get(m.group(1) or "str", "x"), text)
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "x", text)
    return "/" + text.replace("^", "").replace("$", "").replace("\\", "")


# --- the county and its signed-in users -----------------------------------------------------------


@dataclass
class World:
    county: County
    clients: dict[tuple[str, bool], Client] = field(default_factory=dict)

    def client(self, role: str, *, other: bool = False) -> Client:
        return self.clients[(role, other)]


@pytest.fixture
def world(db: None, settings: Any) -> World:
    """The county (fast password hashes: this test is about access, not storage), one declared
    conflict, and a client per role per side, each with an OTP-verified session."""
    from qijian.accounts.models import User
    from qijian.org.services import declare_conflict

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    county = build_county()
    for role in Role:  # user names that occur nowhere else on a page, so a list that shows them is caught
        User.objects.filter(pk=county.user(role).pk).update(username=f"matrix-first-{role.value}")
        county.user(role).refresh_from_db(fields=["username"])
    county.conflict = declare_conflict(  # type: ignore[attr-defined]
        actor=None,
        inspector=county.inspector,
        enterprise=county.enterprise,
        reason="matrix-亲属",
        declared_on="2026-01-05",
    )
    populate_all(county)
    event = AuditEvent.objects.order_by("seq").first()
    assert event is not None
    county.first_event_seq, county.first_event_pk = event.seq, event.pk  # type: ignore[attr-defined]
    w = World(county)
    for role in Role:
        for other in (False, True):
            client = Client(raise_request_exception=False)  # a crash is a 500 to report, not an abort
            login_verified(client, county.user(role, other=other))
            w.clients[(role, other)] = client
    return w


def url_for(route: Route, rule: Rule, county: County) -> str:
    if rule.path:
        return rule.path
    if route.name is None or (rule.kind == "admin" and "<" in route.text):
        return sample_path(route.text)
    return reverse(route.name, kwargs=rule.obj(county) if rule.obj else None) + rule.query


def checked_routes(county: County) -> Iterator[tuple[Route, Rule, str]]:
    for route in all_routes():
        rule = rule_for(route)
        if rule is not None:
            yield route, rule, url_for(route, rule, county)


# --- what responses mean --------------------------------------------------------------------------


def _location(response: Any) -> str:
    return str(response.get("Location", ""))


def sent_to_sign_in(response: Any, rule: Rule) -> bool:
    if rule.api:
        return response.status_code in (401, 403)
    target = "/admin/login/" if rule.kind == "admin" else reverse(django_settings.LOGIN_URL)
    return response.status_code == 302 and _location(response).startswith(target)


def refused(response: Any, rule: Rule) -> bool:
    if rule.kind == "admin":
        return sent_to_sign_in(response, rule)  # a non-staff user is shown the admin's own sign-in
    return response.status_code in (403, 404, 405)


def admitted(response: Any, rule: Rule) -> bool:
    if response.status_code >= 400:
        return False
    return rule.api or not sent_to_sign_in(response, rule)


def body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", errors="replace")


UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def _request(client: Client, method: str, url: str) -> Any:
    return getattr(client, method.lower())(url)


class Failures(list[str]):
    def expect(self, ok: bool, method: str, url: str, who: str, wanted: str, response: Any) -> None:
        if not ok:
            self.append(f"{method} {url} as {who}: expected {wanted}, got {response.status_code} {_location(response)}")

    def assert_none(self) -> None:
        assert not self, f"{len(self)} access-matrix violation(s):\n" + "\n".join(self)


def _who(role: str, other: bool) -> str:
    return f"{role}{' (other department/enterprise)' if other else ''}"


# --- the tests ----------------------------------------------------------------------------------------


def test_every_url_pattern_is_classified() -> None:
    routes = all_routes()
    unclassified = sorted({r.key for r in routes if rule_for(r) is None})
    assert not unclassified, "URL patterns missing from the access matrix (add them to TABLE): " + ", ".join(
        unclassified
    )
    stale = sorted(set(TABLE) - {r.key for r in routes})
    assert not stale, "TABLE names routes that no longer exist: " + ", ".join(stale)


def test_anonymous_users_are_sent_to_sign_in_or_refused(world: World) -> None:
    failures, anonymous = Failures(), Client(raise_request_exception=False)
    for _route, rule, url in checked_routes(world.county):
        method = "POST" if rule.post_only else "GET"
        response = _request(anonymous, method, url)
        if rule.kind == "public" or (rule.kind == "admin" and _route.name in ADMIN_PUBLIC):
            failures.expect(response.status_code < 500, method, url, "anonymous", "no server error", response)
            continue
        failures.expect(sent_to_sign_in(response, rule), method, url, "anonymous", "sign-in / 401 / 403", response)
    failures.assert_none()


def test_each_role_reaches_only_the_routes_its_role_allows(world: World) -> None:
    failures = Failures()
    for route, rule, url in checked_routes(world.county):
        if rule.post_only or rule.kind == "public" or route.name in ADMIN_PUBLIC:
            continue  # POST-only routes change things: test_roles_that_may_not_write covers them
        for role in Role:
            response = world.client(role).get(url)
            if rule.kind != "admin" and role in rule.read:
                failures.expect(admitted(response, rule), "GET", url, role, "access", response)
            else:
                failures.expect(refused(response, rule), "GET", url, role, "403/404", response)
    failures.assert_none()


def test_users_of_another_department_or_enterprise_get_403_or_404_on_every_object(world: World) -> None:
    failures, county = Failures(), world.county
    for _route, rule, url in checked_routes(county):
        if rule.kind == "admin" or rule.post_only or not (rule.obj or rule.marker):
            continue
        for role in rule.scoped:
            response = world.client(role, other=True).get(url)
            who = _who(role, True)
            if rule.obj:
                failures.expect(refused(response, rule), "GET", url, who, "403/404", response)
            elif rule.marker and response.status_code == 200:
                hidden = rule.marker(county) not in body(response)
                failures.expect(hidden, "GET", url, who, f"no {rule.marker(county)!r} in the list", response)
        for role in rule.read - rule.scoped:  # county-wide roles see it from either side
            response = world.client(role, other=True).get(url)
            failures.expect(admitted(response, rule), "GET", url, _who(role, True), "access", response)
    failures.assert_none()


def test_roles_that_may_not_write_are_refused_unsafe_methods(world: World) -> None:
    """API: POST is refused outright. Pages: refused, or answered without writing anything (every
    write is audited, so the audit log must not grow) — a page that merely re-renders is harmless."""
    failures = Failures()
    for route, rule, url in checked_routes(world.county):
        if rule.kind == "public" or route.name in ADMIN_PUBLIC:
            continue
        methods = UNSAFE if rule.api and rule.obj else ("POST",)
        for (role, other), method in itertools.product(_non_writers(rule), methods):
            before = AuditEvent.objects.count()
            response = _request(world.client(role, other=other), method, url)
            harmless = not rule.api and rule.kind != "admin" and response.status_code < 400
            ok = refused(response, rule) or (harmless and AuditEvent.objects.count() == before)
            failures.expect(ok, method, url, _who(role, other), "403/404/405 (or nothing written)", response)
    failures.assert_none()


def _non_writers(rule: Rule) -> Iterator[tuple[str, bool]]:
    """Users who may not POST here: roles outside ``writers``; on objects, also the other side of scoped writers."""
    for role in Role:
        if role not in rule.writers:
            yield role, False
            if rule.obj:
                yield role, True
        elif rule.obj and role in rule.scoped:
            yield role, True
