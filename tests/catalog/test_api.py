from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from qijian.audit.models import AuditEvent
from qijian.catalog import services
from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.testing import County, login_verified
from tests.catalog.conftest import approved_version

pytestmark = pytest.mark.django_db


def _client(county: County, role: str, *, other: bool = False) -> Client:
    client = Client()
    login_verified(client, county.user(role, other=other))
    return client


def _item(version: CatalogVersion, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "version": version.pk,
        "code": "YJ-009",
        "name": "危险化学品安全管理检查",
        "law": "《危险化学品安全管理条例》",
        "article": "第十九条",
        "mode": "targeted",
        "industries": ["C13"],
        "enterprise_types": ["company"],
    }
    return body | overrides


def test_dept_admin_opens_a_draft_and_adds_an_item_through_the_api(county: County) -> None:
    client = _client(county, "dept_admin")
    created = client.post("/api/v1/catalog-versions/", content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    version = CatalogVersion.objects.get(pk=created.json()["id"])
    response = client.post("/api/v1/catalog-items/", _item(version), content_type="application/json")
    assert response.status_code == 201, response.content
    item = CatalogItem.objects.get()
    assert (item.mode, item.method, [i.code for i in item.industries.all()]) == ("targeted", "onsite", ["C13"])
    assert AuditEvent.objects.filter(action="catalog.add_item").exists()


def test_duplicate_code_is_a_400_with_the_services_message(county: County) -> None:
    version = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    client = _client(county, "dept_admin")
    client.post("/api/v1/catalog-items/", _item(version), content_type="application/json")
    response = client.post("/api/v1/catalog-items/", _item(version), content_type="application/json")
    assert response.status_code == 400 and "已存在" in response.json()["non_field_errors"][0]
    assert CatalogItem.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("enterprise_types", ["alien"]),
        ("industries", ["C\x0013"]),  # a NUL character: refused before PostgreSQL sees it, not a server error
    ],
)
def test_a_bad_value_is_a_400_and_stores_nothing(county: County, field: str, value: list[str]) -> None:
    version = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    body = _item(version, **{field: value})
    response = _client(county, "dept_admin").post("/api/v1/catalog-items/", body, content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert not CatalogItem.objects.exists()


def test_other_departments_version_is_not_a_valid_choice(county: County) -> None:
    version = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    client = _client(county, "dept_admin", other=True)
    response = client.post("/api/v1/catalog-items/", _item(version), content_type="application/json")
    assert response.status_code == 400 and "version" in response.json()


def test_a_second_draft_is_refused_in_chinese(county: County) -> None:
    services.create_version(actor=county.user("dept_admin"), department=county.dept)
    response = _client(county, "dept_admin").post("/api/v1/catalog-versions/")
    assert response.status_code == 400 and "未审定" in response.json()["non_field_errors"][0]


def test_items_in_force_on_a_day(county: County) -> None:
    approved_version(county)
    services.create_version(actor=county.user("dept_admin"), department=county.dept)  # a draft copy: not in force
    client = _client(county, "inspector", other=True)
    today = client.get("/api/v1/catalog-items/?effective_on=2099-01-01").json()["results"]
    past = client.get(f"/api/v1/catalog-items/?effective_on={dt.date(2000, 1, 1)}").json()["results"]
    assert [r["code"] for r in today] == ["YJ-001"] and past == []


def test_office_cannot_create_items_through_the_api(county: County) -> None:
    version = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    response = _client(county, "office").post("/api/v1/catalog-items/", _item(version), content_type="application/json")
    assert response.status_code == 403


def test_version_list_names_department_and_decision(county: County) -> None:
    version = approved_version(county)
    rows = _client(county, "supervisor").get("/api/v1/catalog-versions/").json()["results"]
    assert rows[0]["department_name"] == "县应急管理局"
    assert rows[0]["decision_number"] == version.decision.number  # type: ignore[union-attr]
