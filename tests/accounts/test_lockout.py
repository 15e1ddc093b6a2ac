"""Lock-out after repeated failed sign-ins (django-axes, by user name) and the secadmin's unlock."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from qijian.accounts.services import AccountError, unlock_user
from qijian.audit.models import AuditEvent
from qijian.core.testing import TEST_PASSWORD, County
from tests.accounts.helpers import password_login


def _fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        password_login(client, username, "wrong-password-123")


def test_repeated_failures_lock_account_even_for_correct_password(county: County) -> None:
    client, name = Client(), county.user("inspector").username
    _fail(client, name, settings.AXES_FAILURE_LIMIT)
    response = password_login(client, name, TEST_PASSWORD)
    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_below_limit_do_not_lock(county: County) -> None:
    client, name = Client(), county.user("inspector").username
    _fail(client, name, settings.AXES_FAILURE_LIMIT - 1)
    assert password_login(client, name, TEST_PASSWORD).status_code == 302


def test_lockout_follows_user_name_across_addresses(county: County) -> None:
    name = county.user("dept_admin").username
    for i in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"10.0.0.{i + 1}").post(
            "/accounts/login/", {"username": name, "password": "wrong-password-123"}
        )
    assert password_login(Client(REMOTE_ADDR="10.9.9.9"), name).status_code == 429


def test_lockout_of_one_user_does_not_block_colleague_on_same_address(county: County) -> None:
    client = Client(REMOTE_ADDR="10.1.1.1")
    _fail(client, county.user("inspector").username, settings.AXES_FAILURE_LIMIT)
    assert password_login(Client(REMOTE_ADDR="10.1.1.1"), county.user("dept_admin").username).status_code == 302


def test_secadmin_unlock_lets_user_sign_in_again(county: County) -> None:
    name = county.user("inspector").username
    _fail(Client(), name, settings.AXES_FAILURE_LIMIT)
    assert unlock_user(actor=county.user("secadmin"), username=name) >= 1
    assert password_login(Client(), name).status_code == 302
    event = AuditEvent.objects.filter(action="accounts.unlock_user").get()
    assert event.actor_id == county.user("secadmin").pk and event.target_id == str(county.user("inspector").pk)


def test_only_secadmin_may_unlock(county: County) -> None:
    with pytest.raises(AccountError):
        unlock_user(actor=county.user("sysadmin"), username=county.user("inspector").username)


def test_lockout_and_failures_are_audited(county: County) -> None:
    user = county.user("inspector")
    _fail(Client(), user.username, settings.AXES_FAILURE_LIMIT)
    failed = AuditEvent.objects.filter(action="accounts.login_failed", target_id=str(user.pk))
    assert failed.count() == settings.AXES_FAILURE_LIMIT
    locked = AuditEvent.objects.filter(action="accounts.locked_out", target_id=str(user.pk)).first()
    assert locked is not None and locked.after is not None and locked.after["username"] == user.username
    assert "wrong-password-123" not in str(list(AuditEvent.objects.values_list("after", flat=True)))


def test_failed_login_shows_chinese_error(county: County) -> None:
    response = password_login(Client(), county.user("inspector").username, "wrong-password-123")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode() or "用户名和密码" in response.content.decode()
