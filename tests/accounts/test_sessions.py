"""Sessions: rotated at sign-in, ended server-side at sign-out, after idling, and at their absolute age."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from qijian.accounts.middleware import LAST_SEEN, STARTED
from qijian.audit.models import AuditEvent
from qijian.core.testing import County
from tests.accounts.helpers import password_login, signed_in

HOME = "/"


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _shift(client: Client, key: str, seconds: int) -> None:
    """Time travel: pretend the session's clock mark was set ``seconds`` earlier."""
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_login_rotates_session_key(county: County) -> None:
    client = Client()
    client.get("/accounts/login/")
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    password_login(client, county.user("inspector").username)
    after = _session_key(client)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_deletes_session_row_and_old_cookie_is_not_signed_in(county: County) -> None:
    client = signed_in(county.user("inspector"))
    key = _session_key(client)
    assert Session.objects.filter(session_key=key).exists()
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    response = replay.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(action="accounts.logout").exists()


def test_logout_needs_post(county: County) -> None:
    client = signed_in(county.user("inspector"))
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get(HOME).status_code == 200


def test_idle_session_is_ended_server_side(county: County) -> None:
    client = signed_in(county.user("inspector"))
    key = _session_key(client)
    _shift(client, LAST_SEEN, settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.get(HOME)
    assert response.status_code == 302 and "timeout=1" in response["Location"]
    assert not Session.objects.filter(session_key=key).exists()
    assert "已自动退出" in client.get(response["Location"]).content.decode()


def test_recent_activity_keeps_session_alive(county: County) -> None:
    client = signed_in(county.user("inspector"))
    _shift(client, LAST_SEEN, settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get(HOME).status_code == 200
    assert client.session[LAST_SEEN] >= int(time.time()) - 5  # the request refreshed the mark
    assert client.get(HOME).status_code == 200


def test_session_older_than_max_age_ends_even_when_active(county: County) -> None:
    client = signed_in(county.user("inspector"))
    _shift(client, STARTED, settings.SESSION_COOKIE_AGE + 5)
    assert client.get(HOME)["Location"].startswith("/accounts/login/")


def test_idle_session_cannot_reach_the_api_either(county: County) -> None:
    client = signed_in(county.user("inspector"))
    _shift(client, LAST_SEEN, settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.get("/api/v1/", HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==")
    assert response.status_code == 401


def test_password_reset_by_sysadmin_ends_the_users_sessions(county: County) -> None:
    from qijian.accounts.services import reset_password

    user = county.user("inspector")
    client = signed_in(user)
    reset_password(actor=county.user("sysadmin"), user=user, password="Another-Strong-Pass-7")
    assert client.get(HOME).status_code == 302


def test_successful_login_is_audited(county: County) -> None:
    signed_in(county.user("inspector"))
    event = AuditEvent.objects.filter(action="accounts.login").get()
    assert event.actor_id == county.user("inspector").pk
