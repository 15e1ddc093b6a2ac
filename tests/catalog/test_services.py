from __future__ import annotations

import datetime as dt

import pytest

from qijian.audit.models import AuditEvent
from qijian.catalog import services
from qijian.catalog.choices import CatalogStatus
from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.catalog.services import CatalogError
from qijian.core.calendar import local_today
from qijian.core.testing import County
from qijian.meetings.models import Decision
from tests.catalog.conftest import approved_version, draft_with_item, item_fields, make_decision

pytestmark = pytest.mark.django_db


def _refused(fn: object, match: str, **kwargs: object) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(CatalogError, match=match):
        fn(**kwargs)  # type: ignore[operator]
    assert AuditEvent.objects.count() == before


# --- create_version ------------------------------------------------------------------------------


def test_first_version_is_an_empty_draft_numbered_one_and_audited(county: County) -> None:
    version = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    assert (version.number, version.status, version.items.count()) == (1, CatalogStatus.DRAFT, 0)
    assert AuditEvent.objects.filter(action="catalog.create_version", target_id=str(version.pk)).exists()


def test_new_version_copies_the_items_of_the_latest_approved_version(county: County) -> None:
    first = approved_version(county)
    first.items.first().industries.set([county.industry])  # type: ignore[union-attr]
    second = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    copy = second.items.get()
    assert second.number == 2
    assert (copy.code, copy.law, list(copy.industries.all())) == (
        "YJ-001",
        "《中华人民共和国安全生产法》",
        [county.industry],
    )
    assert first.items.count() == 1  # the approved version is untouched


def test_second_open_version_is_refused(county: County) -> None:
    draft_with_item(county)
    _refused(services.create_version, "未审定", actor=county.user("dept_admin"), department=county.dept)


@pytest.mark.parametrize("role", ["office", "inspector", "supervisor", "sysadmin"])
def test_only_a_dept_admin_creates_versions(county: County, role: str) -> None:
    _refused(services.create_version, "只有部门管理员", actor=county.user(role), department=county.dept)


def test_dept_admin_cannot_create_another_departments_version(county: County) -> None:
    _refused(services.create_version, "本部门", actor=county.user("dept_admin"), department=county.other_dept)
    assert not CatalogVersion.objects.exists()


# --- items -------------------------------------------------------------------------------------------


def test_add_item_stores_fields_industries_and_types(county: County) -> None:
    _, item = draft_with_item(county, industries=[county.industry], enterprise_types=["sole", "company"])
    assert item.enterprise_types == ["company", "sole"]
    assert list(item.industries.all()) == [county.industry]
    event = AuditEvent.objects.get(action="catalog.add_item")
    assert event.after["industries"] == ["C13"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"law": "  "}, "法律依据"),
        ({"code": ""}, "事项编码"),
        ({"name": ""}, "检查事项名称"),
        ({"mode": "sometimes"}, "检查类别"),
        ({"method": "telepathy"}, "检查方式"),
        ({"enterprise_types": ["company", "alien"]}, "市场主体类型"),
    ],
)
def test_bad_item_fields_are_refused(county: County, overrides: dict[str, object], message: str) -> None:
    version = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    _refused(services.add_item, message, actor=county.user("dept_admin"), version=version, **item_fields(**overrides))
    assert not CatalogItem.objects.exists()


def test_duplicate_code_in_a_version_is_refused(county: County) -> None:
    version, _ = draft_with_item(county)
    _refused(services.add_item, "已存在", actor=county.user("dept_admin"), version=version, **item_fields())


def test_other_departments_admin_cannot_add_items(county: County) -> None:
    version = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    other = county.user("dept_admin", other=True)
    _refused(services.add_item, "本部门", actor=other, version=version, **item_fields())


def test_office_cannot_add_items(county: County) -> None:
    version = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    _refused(services.add_item, "只有部门管理员", actor=county.user("office"), version=version, **item_fields())


def test_items_of_a_submitted_version_cannot_change(county: County) -> None:
    version, item = draft_with_item(county)
    admin = county.user("dept_admin")
    services.submit_catalog(actor=admin, version=version)
    _refused(services.add_item, "草稿或已退回", actor=admin, version=version, **item_fields(code="YJ-002"))
    _refused(services.update_item, "草稿或已退回", actor=admin, item=item, name="新名称")
    _refused(services.remove_item, "草稿或已退回", actor=admin, item=item)


def test_items_of_an_approved_version_cannot_change(county: County) -> None:
    item = approved_version(county).items.get()
    _refused(services.update_item, "草稿或已退回", actor=county.user("dept_admin"), item=item, law="《x法》")


def test_update_item_records_before_and_after(county: County) -> None:
    _, item = draft_with_item(county)
    services.update_item(
        actor=county.user("dept_admin"), item=item, name="特种设备使用管理检查", industries=[county.industry]
    )
    item.refresh_from_db()
    assert item.name == "特种设备使用管理检查"
    event = AuditEvent.objects.get(action="catalog.update_item")
    assert event.before["name"] == "安全生产主体责任落实情况检查"
    assert (event.after["name"], event.after["industries"]) == ("特种设备使用管理检查", ["C13"])


def test_update_item_to_a_code_used_by_another_item_is_refused(county: County) -> None:
    version, item = draft_with_item(county)
    services.add_item(actor=county.user("dept_admin"), version=version, **item_fields(code="YJ-002"))
    _refused(services.update_item, "已存在", actor=county.user("dept_admin"), item=item, code="YJ-002")


def test_update_item_keeping_its_own_code_is_allowed(county: County) -> None:
    _, item = draft_with_item(county)
    services.update_item(actor=county.user("dept_admin"), item=item, code="YJ-001", article="第六十六条")
    item.refresh_from_db()
    assert item.article == "第六十六条"


def test_update_item_refuses_unknown_fields(county: County) -> None:
    _, item = draft_with_item(county)
    _refused(services.update_item, "不能修改", actor=county.user("dept_admin"), item=item, version=None)


def test_remove_item_deletes_and_audits(county: County) -> None:
    _, item = draft_with_item(county)
    services.remove_item(actor=county.user("dept_admin"), item=item)
    assert not CatalogItem.objects.exists()
    assert AuditEvent.objects.get(action="catalog.remove_item").before["code"] == "YJ-001"


def test_other_departments_admin_cannot_remove_items(county: County) -> None:
    _, item = draft_with_item(county)
    _refused(services.remove_item, "本部门", actor=county.user("dept_admin", other=True), item=item)


# --- submit / approve / return ------------------------------------------------------------------------


def test_submit_sets_status_time_and_submitter(county: County) -> None:
    version, _ = draft_with_item(county)
    services.submit_catalog(actor=county.user("dept_admin"), version=version)
    version.refresh_from_db()
    assert version.status == CatalogStatus.SUBMITTED
    assert version.submitted_by == county.user("dept_admin") and version.submitted_at is not None


def test_empty_catalog_cannot_be_submitted(county: County) -> None:
    version = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    _refused(services.submit_catalog, "至少", actor=county.user("dept_admin"), version=version)


def test_other_departments_admin_cannot_submit(county: County) -> None:
    version, _ = draft_with_item(county)
    _refused(services.submit_catalog, "本部门", actor=county.user("dept_admin", other=True), version=version)


def test_approve_puts_the_version_in_force(county: County, decision: Decision) -> None:
    version = approved_version(county)
    assert version.status == CatalogStatus.APPROVED and version.approved_at is not None
    assert version.effective_from == local_today()
    assert AuditEvent.objects.get(action="catalog.approve").before["status"] == "submitted"


def _submitted(county: County) -> CatalogVersion:
    version, _ = draft_with_item(county)
    return services.submit_catalog(actor=county.user("dept_admin"), version=version)


@pytest.mark.parametrize("role", ["dept_admin", "supervisor", "random_coordinator", "sysadmin"])
def test_only_the_office_approves(county: County, decision: Decision, role: str) -> None:
    version = _submitted(county)
    kwargs = {"version": version, "decision": decision, "effective_from": local_today()}
    _refused(services.approve_catalog, "联席会议办公室", actor=county.user(role), **kwargs)


def test_draft_cannot_be_approved(county: County, decision: Decision) -> None:
    version, _ = draft_with_item(county)
    kwargs = {"version": version, "decision": decision, "effective_from": local_today()}
    _refused(services.approve_catalog, "只有已提交", actor=county.user("office"), **kwargs)


def test_approval_needs_a_catalog_decision(county: County) -> None:
    version = _submitted(county)
    plan_decision = make_decision(county, subject="plan")
    kwargs = {"version": version, "decision": plan_decision, "effective_from": local_today()}
    _refused(services.approve_catalog, "检查事项清单的决定", actor=county.user("office"), **kwargs)
    _refused(
        services.approve_catalog, "检查事项清单的决定", actor=county.user("office"), **(kwargs | {"decision": None})
    )


def test_effective_date_in_the_past_is_refused(county: County, decision: Decision) -> None:
    version = _submitted(county)
    yesterday = local_today() - dt.timedelta(days=1)
    kwargs = {"version": version, "decision": decision, "effective_from": yesterday}
    _refused(services.approve_catalog, "不能早于今天", actor=county.user("office"), **kwargs)
    version.refresh_from_db()
    assert version.status == CatalogStatus.SUBMITTED


def test_effective_date_not_after_the_current_version_is_refused(county: County) -> None:
    approved_version(county, effective_from=local_today() + dt.timedelta(days=30))
    second = services.create_version(actor=county.user("dept_admin"), department=county.dept)
    services.submit_catalog(actor=county.user("dept_admin"), version=second)
    kwargs = {
        "version": second,
        "decision": make_decision(county),
        "effective_from": local_today() + dt.timedelta(days=10),
    }
    _refused(services.approve_catalog, "须晚于", actor=county.user("office"), **kwargs)


def test_return_needs_a_comment_and_reopens_editing(county: County) -> None:
    version = _submitted(county)
    _refused(services.return_catalog, "退回意见", actor=county.user("office"), version=version, comment=" ")
    services.return_catalog(actor=county.user("office"), version=version, comment="请补充检查标准")
    assert version.status == CatalogStatus.RETURNED and version.return_comment == "请补充检查标准"
    item = services.add_item(actor=county.user("dept_admin"), version=version, **item_fields(code="YJ-002"))
    assert item.version == version
    services.submit_catalog(actor=county.user("dept_admin"), version=version)
    assert (version.status, version.return_comment) == (CatalogStatus.SUBMITTED, "")


def test_only_the_office_returns(county: County) -> None:
    version = _submitted(county)
    _refused(services.return_catalog, "联席会议办公室", actor=county.user("dept_admin"), version=version, comment="x")


def test_draft_cannot_be_returned(county: County) -> None:
    version, _ = draft_with_item(county)
    _refused(services.return_catalog, "只有已提交", actor=county.user("office"), version=version, comment="x")
