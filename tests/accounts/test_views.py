"""The account pages: 用户管理, 安全管理, 我的账号 — who sees what, and what each button does."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from qijian.accounts.choices import Role
from qijian.accounts.models import User
from qijian.core.testing import TEST_PASSWORD, County
from tests.accounts.helpers import password_login, signed_in

USERS = "/accounts/users/"
SECURITY = "/accounts/security/"
NEW_PASSWORD = "Cangxian-Strong-Pass-9"


def _listed(body: str, user: User) -> bool:
    return f'href="{USERS}{user.pk}/"' in body


def test_sysadmin_lists_and_filters_users_by_role_and_department(county: County) -> None:
    client = signed_in(county.user("sysadmin"))
    body = client.get(USERS, {"role": Role.INSPECTOR.value, "department": str(county.dept.pk)}).content.decode()
    assert _listed(body, county.user("inspector"))
    assert not _listed(body, county.user("inspector", other=True))
    assert not _listed(body, county.user("office"))


def test_user_list_searches_by_name(county: County) -> None:
    body = signed_in(county.user("sysadmin")).get(USERS, {"q": "random_coord"}).content.decode()
    assert _listed(body, county.user("random_coordinator")) and not _listed(body, county.user("office"))


def test_user_list_paginates_with_constant_queries(county: County, django_assert_max_num_queries) -> None:
    client = signed_in(county.user("sysadmin"))
    with django_assert_max_num_queries(12) as small:
        client.get(USERS)
    extra = [User(username=f"bulk{i:03d}", role=Role.INSPECTOR, department=county.dept) for i in range(40)]
    User.objects.bulk_create(extra)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(USERS).content.decode()
    assert "下一页" in body and "第 1 / 3 页" in body
    assert _listed(client.get(USERS, {"page": 3}).content.decode(), county.user("office"))  # oldest, last page


def test_dept_admin_sees_only_own_department_users(county: County) -> None:
    client = signed_in(county.user("dept_admin"))
    body = client.get(USERS).content.decode()
    assert _listed(body, county.user("inspector"))
    assert not _listed(body, county.user("inspector", other=True))
    assert client.get(f"{USERS}{county.user('inspector', other=True).pk}/").status_code == 404
    assert client.get(f"{USERS}{county.user('inspector').pk}/").status_code == 200
    assert client.get(f"{USERS}new/").status_code == 403


def test_other_roles_get_403_on_user_management(county: County) -> None:
    for role in ("office", "inspector", "auditor", "secadmin", "enterprise"):
        assert signed_in(county.user(role)).get(USERS).status_code == 403, role


def test_sysadmin_creates_user_through_the_form(county: County) -> None:
    client = signed_in(county.user("sysadmin"))
    form = {
        "username": "new_office",
        "full_name": "赵六",
        "role": Role.OFFICE,
        "department": county.dept.pk,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    response = client.post(f"{USERS}new/", form)
    created = User.objects.get(username="new_office")
    assert response.status_code == 302 and response["Location"] == f"{USERS}{created.pk}/"
    assert created.password.startswith("argon2$")


def test_create_form_shows_rule_violation_in_chinese_and_writes_nothing(county: County) -> None:
    client = signed_in(county.user("sysadmin"))
    form = {
        "username": "second_duty",
        "full_name": "钱七",
        "role": Role.AUDITOR,
        "person_number": "TEST-secadmin",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    body = client.post(f"{USERS}new/", form).content.decode()
    assert "三员分立" in body and not User.objects.filter(username="second_duty").exists()


def test_sysadmin_changes_role_and_deactivates_from_detail_page(county: County) -> None:
    client = signed_in(county.user("sysadmin"))
    target = county.user("supervisor")
    client.post(f"{USERS}{target.pk}/role/", {"role": Role.DEPT_ADMIN})
    assert User.objects.get(pk=target.pk).role == Role.DEPT_ADMIN
    client.post(f"{USERS}{target.pk}/deactivate/", {"reason": "调离"})
    assert not User.objects.get(pk=target.pk).is_active


def test_reset_password_page_action_sets_new_password(county: County) -> None:
    client = signed_in(county.user("sysadmin"))
    target = county.user("inspector")
    client.post(f"{USERS}{target.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert User.objects.get(pk=target.pk).check_password(NEW_PASSWORD)


def test_secadmin_page_shows_settings_and_locked_accounts_and_unlocks(county: County) -> None:
    name = county.user("inspector").username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_login(Client(), name, "wrong-password-123")
    client = signed_in(county.user("secadmin"))
    body = client.get(SECURITY).content.decode()
    assert f"连续失败 {settings.AXES_FAILURE_LIMIT} 次" in body and "空闲超时" in body
    assert name in body
    client.post(f"{SECURITY}unlock/", {"username": name})
    assert password_login(Client(), name, TEST_PASSWORD).status_code == 302


def test_secadmin_resets_two_factor_from_page(county: County) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.helpers import device_of

    target = county.user("office")
    device_of(target)
    client = signed_in(county.user("secadmin"))
    assert target.username in client.get(SECURITY).content.decode()
    client.post(f"{SECURITY}{target.pk}/reset-totp/")
    assert not TOTPDevice.objects.filter(user=target).exists()


def test_security_page_is_secadmin_only(county: County) -> None:
    for role in ("sysadmin", "auditor", "dept_admin"):
        assert signed_in(county.user(role)).get(SECURITY).status_code == 403, role


def test_my_account_shows_role_and_department_and_changes_password(county: County) -> None:
    user = county.user("inspector")
    client = signed_in(user)
    body = client.get("/accounts/me/").content.decode()
    assert "执法人员" in body and county.dept.name in body
    form = {"old_password": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post("/accounts/me/", form).status_code == 302
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200  # this session survives its own password change


def test_nav_shows_management_entries_by_role(county: County) -> None:
    assert "用户管理" in signed_in(county.user("sysadmin")).get("/").content.decode()
    inspector_page = signed_in(county.user("inspector")).get("/").content.decode()
    assert "用户管理" not in inspector_page and "我的账号" in inspector_page
