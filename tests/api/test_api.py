from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from qijian.accounts.choices import Role
from qijian.audit.models import AuditEvent
from qijian.core.codes.uscc import make_uscc
from qijian.core.testing import TEST_PASSWORD, County, login_verified
from qijian.enterprises.choices import UsccStatus
from qijian.enterprises.models import Enterprise
from qijian.org.models import Conflict, EnforcementPlatform

ClientAs = Callable[..., APIClient]


def _enterprise_body(county: County, uscc: str, **extra: Any) -> dict[str, Any]:
    return {
        "uscc": uscc,
        "name": "沧县丙公司",
        "type": "company",
        "industry": county.industry.pk,
        "township": county.township.pk,
        "address": "沧县旧州镇",
        "legal_representative": "赵六",
    } | extra


# --- reading, scoping and refusing ------------------------------------------------------------------


def test_anonymous_request_is_refused_with_a_chinese_message(api: APIClient, county: County) -> None:
    response = api.get("/api/v1/enterprises/")
    assert response.status_code == 401
    assert response.json() == {"detail": "身份认证信息未提供。"}


def test_role_without_access_to_a_resource_gets_403(client_as: ClientAs) -> None:
    response = client_as(Role.AUDITOR).get("/api/v1/enterprises/")
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色无权访问此资源。"


def test_inspector_of_another_department_is_404_for_a_department_admin(client_as: ClientAs, county: County) -> None:
    api = client_as(Role.DEPT_ADMIN)
    assert api.get(f"/api/v1/inspectors/{county.inspector.pk}/").status_code == 200
    response = api.get(f"/api/v1/inspectors/{county.other_inspector.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_enterprise_user_lists_only_its_own_enterprise(client_as: ClientAs, county: County) -> None:
    rows = client_as(Role.ENTERPRISE).get("/api/v1/enterprises/").json()["results"]
    assert [row["uscc"] for row in rows] == [county.enterprise.uscc]


def test_enterprise_list_filters_by_township_and_name(client_as: ClientAs, county: County) -> None:
    api = client_as(Role.OFFICE)
    by_town = api.get("/api/v1/enterprises/", {"township": county.other_township.pk}).json()["results"]
    by_name = api.get("/api/v1/enterprises/", {"name": "甲"}).json()["results"]
    assert [r["id"] for r in by_town] == [county.other_enterprise.pk]
    assert [r["id"] for r in by_name] == [county.enterprise.pk]


def test_enterprise_list_filter_with_unknown_choice_is_400_in_chinese(client_as: ClientAs) -> None:
    response = client_as(Role.OFFICE).get("/api/v1/enterprises/", {"grade": "Z"})
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.json()["grade"][0]


def test_cursor_pagination_walks_every_row_once(client_as: ClientAs, county: County) -> None:
    api = client_as(Role.OFFICE)
    page = api.get("/api/v1/enterprises/", {"page_size": 1}).json()
    seen = [row["id"] for row in page["results"]]
    while page["next"]:
        page = api.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
    assert sorted(seen) == sorted(Enterprise.objects.values_list("pk", flat=True))


def test_invalid_cursor_is_404_in_chinese(client_as: ClientAs) -> None:
    response = client_as(Role.OFFICE).get("/api/v1/enterprises/", {"cursor": "not-a-cursor"})
    assert response.status_code == 404
    assert response.json() == {"detail": "无效游标"}


def test_unknown_api_path_is_a_json_404(api: APIClient, county: County) -> None:
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_department_list_takes_a_constant_number_of_queries(
    client_as: ClientAs, county: County, django_assert_max_num_queries: Any
) -> None:
    for dept in (county.dept, county.other_dept):
        EnforcementPlatform.objects.create(department=dept, name="执法平台", level="province", purposes="检查")
    api = client_as(Role.OFFICE)
    with django_assert_max_num_queries(4):  # token, departments with regions, platforms (+ savepoint-free)
        response = api.get("/api/v1/departments/")
    assert [len(row["platforms"]) for row in response.json()["results"]] == [1, 1]


def test_me_returns_the_signed_in_user(client_as: ClientAs, county: County) -> None:
    data = client_as(Role.INSPECTOR).get("/api/v1/users/me/").json()
    assert (data["username"], data["role"]) == (county.user(Role.INSPECTOR).username, "inspector")


def test_audit_events_are_for_the_auditor_alone(client_as: ClientAs) -> None:
    assert client_as(Role.SYSADMIN).get("/api/v1/audit-events/").status_code == 403
    events = client_as(Role.AUDITOR).get("/api/v1/audit-events/").json()["results"]
    assert [e["seq"] for e in events] == sorted((e["seq"] for e in events), reverse=True)


# --- sessions of two-factor roles ---------------------------------------------------------------------


def test_session_of_a_two_factor_role_without_otp_is_refused(county: County) -> None:
    client = Client()
    client.force_login(county.user(Role.OFFICE))
    assert client.get("/api/v1/enterprises/").status_code in (401, 403)
    login_verified(client, county.user(Role.OFFICE))
    assert client.get("/api/v1/enterprises/").status_code == 200


# --- writes go through the services ----------------------------------------------------------------------


def test_sysadmin_registers_an_enterprise_with_an_audit_event(client_as: ClientAs, county: County) -> None:
    uscc = make_uscc("91130921", "MA0DEM03")
    response = client_as(Role.SYSADMIN).post("/api/v1/enterprises/", _enterprise_body(county, uscc), format="json")
    assert response.status_code == 201, response.json()
    event = AuditEvent.objects.get(action="enterprises.register", target_id=str(response.json()["id"]))
    assert event.actor == county.user(Role.SYSADMIN)


def test_pilot_code_failing_its_check_character_is_stored_as_pilot(client_as: ClientAs, county: County) -> None:
    valid = make_uscc("91130921", "MA0DEM04")
    pilot = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    response = client_as(Role.SYSADMIN).post("/api/v1/enterprises/", _enterprise_body(county, pilot), format="json")
    assert response.status_code == 201
    assert response.json()["uscc_status"] == UsccStatus.PILOT


def test_malformed_credit_code_is_400_and_writes_nothing(client_as: ClientAs, county: County) -> None:
    api = client_as(Role.SYSADMIN)
    events = AuditEvent.objects.count()
    body = _enterprise_body(county, "91130921MA0DEM0I!")
    response = api.post("/api/v1/enterprises/", body, format="json")
    assert response.status_code == 400
    assert response.json()["uscc"][0].startswith("统一社会信用代码格式不正确")
    assert (Enterprise.objects.count(), AuditEvent.objects.count()) == (2, events)


def test_duplicate_credit_code_is_400(client_as: ClientAs, county: County) -> None:
    body = _enterprise_body(county, county.enterprise.uscc)
    response = client_as(Role.SYSADMIN).post("/api/v1/enterprises/", body, format="json")
    assert response.status_code == 400
    assert "uscc" in response.json()


def test_office_may_read_but_not_register_enterprises(client_as: ClientAs, county: County) -> None:
    body = _enterprise_body(county, make_uscc("91130921", "MA0DEM05"))
    assert client_as(Role.OFFICE).post("/api/v1/enterprises/", body, format="json").status_code == 403


def test_department_admin_declares_a_conflict_for_its_own_inspector(client_as: ClientAs, county: County) -> None:
    body = {
        "inspector": county.inspector.pk,
        "enterprise": county.enterprise.pk,
        "reason": "亲属",
        "declared_on": "2026-03-01",
    }
    response = client_as(Role.DEPT_ADMIN).post("/api/v1/conflicts/", body, format="json")
    assert response.status_code == 201, response.json()
    conflict = Conflict.objects.get(pk=response.json()["id"])
    assert AuditEvent.objects.filter(action="org.declare_conflict", target_id=str(conflict.pk)).exists()


def test_conflict_for_another_departments_inspector_is_refused(client_as: ClientAs, county: County) -> None:
    body = {
        "inspector": county.other_inspector.pk,
        "enterprise": county.enterprise.pk,
        "reason": "亲属",
        "declared_on": "2026-03-01",
    }
    response = client_as(Role.DEPT_ADMIN).post("/api/v1/conflicts/", body, format="json")
    assert response.status_code == 400
    assert "对象不存在" in response.json()["inspector"][0]
    assert not Conflict.objects.exists()


def test_second_declaration_of_the_same_pair_is_400_in_chinese(client_as: ClientAs, county: County) -> None:
    body = {
        "inspector": county.inspector.pk,
        "enterprise": county.enterprise.pk,
        "reason": "亲属",
        "declared_on": "2026-03-01",
    }
    api = client_as(Role.SYSADMIN)
    assert api.post("/api/v1/conflicts/", body, format="json").status_code == 201
    response = api.post("/api/v1/conflicts/", body, format="json")
    assert response.status_code == 400
    assert "已经存在" in response.json()["non_field_errors"][0]


def test_malformed_json_is_400_in_chinese(client_as: ClientAs) -> None:
    response = client_as(Role.SYSADMIN).post("/api/v1/conflicts/", "{", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON。"}


# --- tokens --------------------------------------------------------------------------------------------


def test_inspector_exchanges_a_password_for_a_working_token(api: APIClient, county: County) -> None:
    user = county.user(Role.INSPECTOR)
    response = api.post("/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/users/me/").json()["id"] == user.pk


def test_two_factor_role_gets_no_token_for_a_password(api: APIClient, county: County) -> None:
    user = county.user(Role.OFFICE)
    response = api.post("/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert not Token.objects.filter(user=user).exists()


def test_repeated_wrong_passwords_lock_the_account_out_with_a_json_answer(
    api: APIClient, county: County, settings: Any
) -> None:
    user = county.user(Role.INSPECTOR)
    answers = [
        api.post("/api/v1/auth/token/", {"username": user.username, "password": "wrong-password"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    locked = api.post("/api/v1/auth/token/", {"username": user.username, "password": TEST_PASSWORD})
    assert answers[0] == 400
    assert locked.status_code == 429
    assert "锁定" in locked.json()["detail"]


def test_issue_api_token_command_replaces_the_token_and_audits_the_operator(county: County) -> None:
    user = county.user(Role.AUDITOR)
    out = StringIO()
    call_command("issue_api_token", user.username, "--operator", "值班员甲", stdout=out)
    first = out.getvalue().strip().splitlines()[-1]
    call_command("issue_api_token", user.username, stdout=StringIO())
    assert Token.objects.get(user=user).key != first
    event = AuditEvent.objects.filter(action="accounts.issue_api_token", target_id=str(user.pk)).first()
    assert event is not None and event.after is not None
    assert event.after["operator"] == "值班员甲" and first not in str(event.after)


def test_issue_api_token_command_revokes(county: County) -> None:
    user = county.user(Role.INSPECTOR)
    call_command("issue_api_token", user.username, stdout=StringIO())
    call_command("issue_api_token", user.username, "--revoke", stdout=StringIO())
    assert not Token.objects.filter(user=user).exists()


# --- the schema ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_openapi_schema_validates_without_warnings(tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    assert "tokenAuth" in text and "/api/v1/enterprises/" in text


def test_timestamps_in_responses_are_timezone_aware(client_as: ClientAs, county: County) -> None:
    row = client_as(Role.OFFICE).get(f"/api/v1/enterprises/{county.enterprise.pk}/").json()
    assert dt.datetime.fromisoformat(row["created_at"]).utcoffset() is not None


def test_nested_validation_errors_come_back_as_the_documented_flat_list() -> None:
    from qijian.core.api import _flat

    assert _flat({"0": ["“x” 不是合法选项。"], "2": ["太长。"]}) == ["第1项:“x” 不是合法选项。", "第3项:太长。"]
    assert _flat(["必填。"]) == ["必填。"]
    assert _flat({"name": {"0": ["空。"]}}) == ["name:第1项:空。"]
