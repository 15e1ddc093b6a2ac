from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from qijian.catalog import services
from qijian.catalog.choices import CatalogStatus
from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.calendar import local_today
from qijian.core.testing import County, login_verified
from tests.catalog.conftest import approved_version, draft_with_item, item_fields, make_decision

pytestmark = pytest.mark.django_db


def _client(county: County, role: str, *, other: bool = False) -> Client:
    client = Client()
    login_verified(client, county.user(role, other=other))
    return client


def _item_post(**overrides: object) -> dict[str, object]:
    data = {k: v for k, v in item_fields(**overrides).items() if k not in ("industries", "enterprise_types")}
    data["joinable"] = "on"
    return data


def test_dept_admin_opens_a_draft_from_the_home_page(county: County) -> None:
    response = _client(county, "dept_admin").post(reverse("catalog:version_create"))
    version = CatalogVersion.objects.get()
    assert response["Location"] == reverse("catalog:version_detail", args=[version.pk])
    assert version.department == county.dept


def test_dept_admin_adds_an_item_with_industries_and_types(county: County) -> None:
    version = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    data = _item_post() | {"industries": [county.industry.pk], "enterprise_types": ["company", "sole"]}
    response = _client(county, "dept_admin").post(reverse("catalog:item_create", args=[version.pk]), data)
    assert response.status_code == 302
    item = CatalogItem.objects.get()
    assert (item.code, item.enterprise_types, list(item.industries.all())) == (
        "YJ-001",
        ["company", "sole"],
        [county.industry],
    )


def test_item_form_offers_sections_and_divisions_only(county: County) -> None:
    from qijian.enterprises.models import Industry

    Industry.objects.create(code="C131", name="谷物磨制", parent=county.industry)
    version = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    page = _client(county, "dept_admin").get(reverse("catalog:item_create", args=[version.pk])).content.decode()
    assert "C13 农副食品加工业" in page and "【门类】C 制造业" in page
    assert "谷物磨制" not in page


def test_duplicate_code_shows_the_services_message_and_writes_nothing(county: County) -> None:
    version, _ = draft_with_item(county)
    response = _client(county, "dept_admin").post(reverse("catalog:item_create", args=[version.pk]), _item_post())
    assert response.status_code == 400 and "已存在" in response.content.decode()
    assert CatalogItem.objects.count() == 1


def test_dept_admin_edits_and_removes_an_item(county: County) -> None:
    _, item = draft_with_item(county)
    client = _client(county, "dept_admin")
    client.post(reverse("catalog:item_edit", args=[item.pk]), _item_post(name="重大事故隐患排查治理检查"))
    item.refresh_from_db()
    assert item.name == "重大事故隐患排查治理检查"
    client.post(reverse("catalog:item_remove", args=[item.pk]))
    assert not CatalogItem.objects.exists()


def test_edit_form_is_prefilled(county: County) -> None:
    _, item = draft_with_item(county, enterprise_types=["company"])
    page = _client(county, "dept_admin").get(reverse("catalog:item_edit", args=[item.pk])).content.decode()
    assert (
        'value="第六十五条"' in page
        and 'value="company" class="form-check-input" id="id_enterprise_types_0" checked' in page
    )


def test_other_departments_admin_gets_404_on_edit(county: County) -> None:
    _, item = draft_with_item(county)
    client = _client(county, "dept_admin", other=True)
    assert client.get(reverse("catalog:item_edit", args=[item.pk])).status_code == 404


def test_submit_then_office_approves_with_a_decision(county: County) -> None:
    version, _ = draft_with_item(county)
    _client(county, "dept_admin").post(reverse("catalog:version_submit", args=[version.pk]))
    decision = make_decision(county)
    office = _client(county, "office")
    detail = office.get(reverse("catalog:version_detail", args=[version.pk])).content.decode()
    assert "审定通过" in detail and decision.number in detail
    data = {"decision": decision.pk, "effective_from": local_today().isoformat()}
    office.post(reverse("catalog:version_approve", args=[version.pk]), data)
    version.refresh_from_db()
    assert (version.status, version.decision) == (CatalogStatus.APPROVED, decision)


def test_approval_with_a_past_date_is_refused_with_a_message(county: County) -> None:
    version, _ = draft_with_item(county)
    services.submit_catalog(actor=county.user("dept_admin"), version=version)
    data = {"decision": make_decision(county).pk, "effective_from": (local_today() - dt.timedelta(days=3)).isoformat()}
    response = _client(county, "office").post(reverse("catalog:version_approve", args=[version.pk]), data, follow=True)
    assert "生效日期不能早于今天" in response.content.decode()
    version.refresh_from_db()
    assert version.status == CatalogStatus.SUBMITTED


def test_approve_form_offers_only_catalog_decisions(county: County) -> None:
    version, _ = draft_with_item(county)
    services.submit_catalog(actor=county.user("dept_admin"), version=version)
    plan_decision = make_decision(county, subject="plan")
    page = _client(county, "office").get(reverse("catalog:version_detail", args=[version.pk])).content.decode()
    assert plan_decision.number not in page


def test_office_returns_with_a_comment(county: County) -> None:
    version, _ = draft_with_item(county)
    services.submit_catalog(actor=county.user("dept_admin"), version=version)
    _client(county, "office").post(reverse("catalog:version_return", args=[version.pk]), {"comment": "依据条款不全"})
    version.refresh_from_db()
    assert (version.status, version.return_comment) == (CatalogStatus.RETURNED, "依据条款不全")


def test_inspector_sees_the_effective_catalog_but_no_buttons(county: County) -> None:
    approved_version(county)
    page = _client(county, "inspector").get(reverse("catalog:home")).content.decode()
    assert "县应急管理局" in page and "安全生产主体责任落实情况检查" in page
    assert "编制新版本" not in page and "修改" not in page


def test_dept_admin_sees_its_own_versions_first_and_can_open_a_draft(county: County) -> None:
    approved_version(county)
    page = _client(county, "dept_admin").get(reverse("catalog:home")).content.decode()
    assert page.index("本部门清单版本") < page.index("现行有效的检查事项清单")
    assert "编制新版本" in page


def test_office_sees_pending_versions(county: County) -> None:
    version, _ = draft_with_item(county)
    services.submit_catalog(actor=county.user("dept_admin"), version=version)
    page = _client(county, "office").get(reverse("catalog:home")).content.decode()
    assert "待审定的清单" in page and reverse("catalog:version_detail", args=[version.pk]) in page


def test_version_detail_shows_the_history_timeline(county: County) -> None:
    version, _ = draft_with_item(county)
    services.submit_catalog(actor=county.user("dept_admin"), version=version)
    page = _client(county, "supervisor").get(reverse("catalog:version_detail", args=[version.pk])).content.decode()
    assert "新建检查事项清单版本" in page and "提交检查事项清单" in page


def test_catalog_home_query_count_does_not_grow_with_items(
    county: County, django_assert_max_num_queries: object
) -> None:
    approved_version(county)
    admin = county.user("dept_admin")
    draft = services.create_version(actor=admin, department=county.dept)
    for n in range(2, 12):
        services.add_item(actor=admin, version=draft, **item_fields(code=f"YJ-{n:03d}", industries=[county.industry]))
    services.submit_catalog(actor=admin, version=draft)
    services.approve_catalog(
        actor=county.user("office"),
        version=draft,
        decision=make_decision(county),
        effective_from=local_today() + dt.timedelta(days=1),
    )
    CatalogVersion.objects.filter(pk=draft.pk).update(effective_from=local_today())  # in force today, 11 items
    client = _client(county, "dept_admin")
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        page = client.get(reverse("catalog:home")).content.decode()
    assert "YJ-011" in page
