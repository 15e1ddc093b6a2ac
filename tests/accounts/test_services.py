"""Account services: who may open which account, 三员分立, and what the audit trail keeps."""

from __future__ import annotations

import pytest

from qijian.accounts.choices import Role
from qijian.accounts.identity import person_id_for
from qijian.accounts.models import User
from qijian.accounts.services import (
    AccountError,
    change_own_password,
    change_role,
    create_user,
    deactivate_user,
    reset_password,
)
from qijian.audit.models import AuditEvent
from qijian.core.testing import TEST_PASSWORD, County

NEW_PASSWORD = "Cangxian-Strong-Pass-9"


def _create(county: County, **kwargs: object) -> User:
    args: dict[str, object] = {"actor": county.user("sysadmin"), "password": NEW_PASSWORD}
    args.update(kwargs)
    return create_user(**args)  # type: ignore[arg-type]


def test_new_password_is_hashed_with_argon2(county: County) -> None:
    user = _create(county, username="zhang", role=Role.OFFICE, department=county.dept)
    assert user.password.startswith("argon2$")
    assert user.check_password(NEW_PASSWORD)


def test_create_user_audits_without_password_or_person_number(county: County) -> None:
    _create(county, username="sec2", role=Role.SECADMIN, person_number="130921199001011234")
    event = AuditEvent.objects.filter(action="accounts.create_user").order_by("-seq").first()
    assert event is not None and event.after is not None
    text = str(event.after)
    assert NEW_PASSWORD not in text and "130921199001011234" not in text
    assert event.after["username"] == "sec2" and event.after["has_person_id"] is True


def test_person_number_is_stored_only_as_keyed_hash(county: County) -> None:
    user = _create(county, username="audit2", role=Role.AUDITOR, person_number="13092119900101123x")
    assert user.person_id == person_id_for("13092119900101123X")
    assert "1309211990" not in user.person_id and len(user.person_id) == 64


def test_admin_duty_account_requires_person_number(county: County) -> None:
    with pytest.raises(AccountError, match="身份证号或工号"):
        _create(county, username="sys2", role=Role.SYSADMIN)
    assert not User.objects.filter(username="sys2").exists()


def test_one_person_cannot_hold_two_admin_duties(county: County) -> None:
    _create(county, username="wang_sys", role=Role.SYSADMIN, person_number="EMP-0042")
    with pytest.raises(AccountError, match="三员分立"):
        _create(county, username="wang_audit", role=Role.AUDITOR, person_number="emp-0042")
    assert not User.objects.filter(username="wang_audit").exists()


def test_database_refuses_second_admin_duty_for_same_person(county: County) -> None:
    from django.db import IntegrityError, transaction

    pid = county.user("sysadmin").person_id
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="sneaky", password=TEST_PASSWORD, role=Role.AUDITOR, person_id=pid)


def test_database_refuses_admin_duty_without_person_id(county: County) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="nobody", password=TEST_PASSWORD, role=Role.SECADMIN)


def test_sysadmin_cannot_create_admin_account_for_themselves(county: County) -> None:
    sysadmin = county.user("sysadmin")
    own_number = "TEST-sysadmin"  # build_county's person number for this account
    assert sysadmin.person_id == person_id_for(own_number)
    with pytest.raises(AccountError, match="三员分立"):
        _create(county, username="me_sec", role=Role.SECADMIN, person_number=own_number)


def test_sysadmin_cannot_change_own_role(county: County) -> None:
    sysadmin = county.user("sysadmin")
    with pytest.raises(AccountError, match="自己的角色"):
        change_role(actor=sysadmin, user=sysadmin, role=Role.SECADMIN)
    sysadmin.refresh_from_db()
    assert sysadmin.role == Role.SYSADMIN


def test_admin_duty_account_cannot_take_second_admin_duty(county: County) -> None:
    with pytest.raises(AccountError, match="另一管理职责"):
        change_role(actor=county.user("sysadmin"), user=county.user("auditor"), role=Role.SECADMIN)
    assert User.objects.get(pk=county.user("auditor").pk).role == Role.AUDITOR


def test_change_role_to_admin_duty_refused_when_person_already_holds_one(county: County) -> None:
    office = county.user("office")
    with pytest.raises(AccountError, match="三员分立"):
        change_role(actor=county.user("sysadmin"), user=office, role=Role.AUDITOR, person_number="TEST-secadmin")
    assert User.objects.get(pk=office.pk).role == Role.OFFICE


def test_change_role_is_audited_with_before_and_after(county: County) -> None:
    user = county.user("supervisor")
    change_role(actor=county.user("sysadmin"), user=user, role=Role.DEPT_ADMIN)
    event = AuditEvent.objects.get(action="accounts.change_role", target_id=str(user.pk))
    assert event.before is not None and event.after is not None
    assert (event.before["role"], event.after["role"]) == (Role.SUPERVISOR, Role.DEPT_ADMIN)


def test_secadmin_cannot_change_roles(county: County) -> None:
    with pytest.raises(AccountError, match="无权"):
        change_role(actor=county.user("secadmin"), user=county.user("office"), role=Role.SUPERVISOR)


def test_enterprise_user_needs_enterprise_and_no_department(county: County) -> None:
    with pytest.raises(AccountError, match="所属企业"):
        _create(county, username="ent_a", role=Role.ENTERPRISE)
    with pytest.raises(AccountError, match="所属企业"):
        _create(county, username="ent_b", role=Role.ENTERPRISE, enterprise=county.enterprise, department=county.dept)
    assert _create(county, username="ent_c", role=Role.ENTERPRISE, enterprise=county.enterprise).enterprise_id


def test_staff_role_needs_department_but_discipline_may_not(county: County) -> None:
    with pytest.raises(AccountError, match="所属部门"):
        _create(county, username="sup", role=Role.SUPERVISOR)
    assert _create(county, username="jjjc", role=Role.DISCIPLINE).department_id is None


def test_inspector_account_needs_inspector_of_its_own_department(county: County) -> None:
    with pytest.raises(AccountError, match="本部门的执法人员档案"):
        _create(county, username="ins_x", role=Role.INSPECTOR, department=county.dept, inspector=county.other_inspector)
    with pytest.raises(AccountError, match="已绑定"):  # county.inspector already has the build_county account
        _create(county, username="ins_y", role=Role.INSPECTOR, department=county.dept, inspector=county.inspector)


def test_weak_password_is_refused_in_chinese(county: County) -> None:
    with pytest.raises(AccountError, match="密码"):
        _create(county, username="weak", role=Role.OFFICE, department=county.dept, password="12345678")
    assert not User.objects.filter(username="weak").exists()


def test_duplicate_username_is_refused(county: County) -> None:
    with pytest.raises(AccountError):
        _create(county, username=county.user("office").username, role=Role.OFFICE, department=county.dept)


def test_only_sysadmin_creates_accounts(county: County) -> None:
    with pytest.raises(AccountError, match="无权"):
        _create(county, actor=county.user("dept_admin"), username="x1", role=Role.INSPECTOR, department=county.dept)


def test_deactivated_user_cannot_sign_in_and_loses_api_token(county: County, client) -> None:
    from rest_framework.authtoken.models import Token

    user = county.user("inspector")
    Token.objects.create(user=user)
    deactivate_user(actor=county.user("sysadmin"), user=user, reason="调离")
    assert not Token.objects.filter(user=user).exists()
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_sysadmin_cannot_deactivate_self(county: County) -> None:
    with pytest.raises(AccountError):
        deactivate_user(actor=county.user("sysadmin"), user=county.user("sysadmin"))


def test_reset_password_changes_hash_and_audits_no_secret(county: County) -> None:
    user = county.user("office")
    reset_password(actor=county.user("sysadmin"), user=user, password=NEW_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="accounts.reset_password")
    assert NEW_PASSWORD not in str(event.after) and user.password not in str(event.after)


def test_change_own_password_needs_the_old_one(county: County) -> None:
    user = county.user("inspector")
    with pytest.raises(AccountError, match="原密码"):
        change_own_password(actor=user, old_password="wrong-password", new_password=NEW_PASSWORD)
    change_own_password(actor=user, old_password=TEST_PASSWORD, new_password=NEW_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.change_own_password", target_id=str(user.pk)).exists()
