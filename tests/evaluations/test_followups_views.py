"""Follow-up pages: who reads them, the list's filters and query count, the detail, recording, reassigning."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qijian.audit.models import AuditEvent
from qijian.core.nav import menu_for
from qijian.core.testing import County, login_verified
from qijian.evaluations.models import FollowUp
from qijian.evaluations.services import followups as services
from tests.evaluations.conftest import unfiled_visit


@pytest.fixture(autouse=True)
def _media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def web(county: County, role: str, *, other: bool = False) -> Client:
    client = Client()
    login_verified(client, county.user(role, other=other))
    return client


LIST = reverse("evaluations:followup_list")


def detail(fu: FollowUp) -> str:
    return reverse("evaluations:followup_detail", args=[fu.pk])


# --- who reads ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["dept_admin", "inspector", "enterprise", "discipline", "random_coordinator"])
def test_everyone_but_the_office_and_supervisor_gets_403(county: County, follow_up: FollowUp, role: str) -> None:
    client = web(county, role)
    assert client.get(LIST).status_code == 403 and client.get(detail(follow_up)).status_code == 403


@pytest.mark.parametrize("role", ["office", "supervisor"])
def test_the_office_and_the_supervisor_read_list_and_detail(county: County, follow_up: FollowUp, role: str) -> None:
    client = web(county, role, other=True)
    page = client.get(LIST).content.decode()
    assert county.enterprise.name in page and "待回访" in page
    body = client.get(detail(follow_up)).content.decode()
    assert follow_up.filing.number in body and "生成回访任务" in body and "分派回访任务" in body  # type: ignore[union-attr]


def test_the_nav_shows_follow_ups_to_the_office_and_supervisor_only() -> None:
    assert ("回访", LIST) in menu_for("office") and ("回访", LIST) in menu_for("supervisor")
    assert all(label != "回访" for label, _ in menu_for("dept_admin") + menu_for("inspector"))


# --- the list ---------------------------------------------------------------------------------------------------


def _mark(fu: FollowUp, **fields: Any) -> None:
    FollowUp.objects.filter(pk=fu.pk).update(**fields)


def test_the_list_filters_by_status_overdue_department_and_mine(county: County) -> None:
    rows = [FollowUp.objects.get(checkin=unfiled_visit(county)) for _ in range(3)]  # supervisor, other, supervisor
    yesterday = dt.date.today() - dt.timedelta(days=1)
    _mark(rows[0], due_on=yesterday)
    services.record_follow_up(actor=county.user("supervisor"), follow_up=rows[2], method="phone", findings="无意见")
    _mark(rows[1], department=county.other_dept)
    client = web(county, "supervisor")

    def ids(query: str) -> set[int]:
        return {f.pk for f in client.get(LIST + query).context["page"]}

    assert ids("") == {r.pk for r in rows}
    assert ids("?status=done") == {rows[2].pk} and ids("?status=pending") == {rows[0].pk, rows[1].pk}
    assert ids("?overdue=true") == {rows[0].pk} and ids("?overdue=false") == {rows[1].pk, rows[2].pk}
    assert ids(f"?department={county.other_dept.pk}") == {rows[1].pk}
    assert ids("?mine=true") == {rows[0].pk, rows[2].pk}
    assert "已逾期" in client.get(LIST + "?overdue=true").content.decode()


def test_a_follow_up_done_after_its_deadline_is_marked_late_in_the_list(county: County) -> None:
    fu = FollowUp.objects.get(checkin=unfiled_visit(county))
    services.record_follow_up(actor=county.user("supervisor"), follow_up=fu, method="phone", findings="无意见")
    _mark(fu, due_on=dt.date.today() - dt.timedelta(days=2))
    page = web(county, "office").get(LIST).content.decode()
    assert "逾期完成" in page


def test_the_list_is_paginated_with_a_fixed_number_of_queries(
    county: County, django_assert_max_num_queries: Any
) -> None:
    for _ in range(4):
        unfiled_visit(county)
    client = web(county, "office")
    with django_assert_max_num_queries(12):
        client.get(LIST)
    for _ in range(8):
        unfiled_visit(county)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(response.context["page"]) == 12


def test_the_list_pages_by_fifty(county: County, monkeypatch: Any) -> None:
    from qijian.evaluations import followup_views

    monkeypatch.setattr(followup_views, "PAGE_SIZE", 2)
    for _ in range(3):
        unfiled_visit(county)
    client = web(county, "office")
    assert len(client.get(LIST).context["page"]) == 2 and len(client.get(LIST + "?page=2").context["page"]) == 1


# --- recording and reassigning --------------------------------------------------------------------------------


def test_a_supervisor_records_the_follow_up_on_the_page(county: County, follow_up: FollowUp) -> None:
    url = reverse("evaluations:followup_record", args=[follow_up.pk])
    response = web(county, "supervisor").post(url, {"method": "visit", "findings": "上门回访,企业对检查无意见。"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.method == "visit"
    body = web(county, "office").get(detail(follow_up)).content.decode()
    assert "上门回访,企业对检查无意见。" in body and "登记回访情况" in body and 'name="findings"' not in body


def test_an_empty_record_form_is_refused_with_a_message_and_nothing_written(
    county: County, follow_up: FollowUp
) -> None:
    client, url = web(county, "supervisor"), reverse("evaluations:followup_record", args=[follow_up.pk])
    before = AuditEvent.objects.count()
    response = client.post(url, {"method": "phone", "findings": ""})
    assert response.status_code == 400 and "请填写回访情况" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_a_second_record_is_refused_on_the_page(county: County, follow_up: FollowUp) -> None:
    services.record_follow_up(actor=county.user("supervisor"), follow_up=follow_up, method="phone", findings="无意见")
    url = reverse("evaluations:followup_record", args=[follow_up.pk])
    response = web(county, "supervisor").post(url, {"method": "visit", "findings": "再登记"})
    assert response.status_code == 400 and "不能重复登记或修改" in response.content.decode()


def test_the_office_cannot_record(county: County, follow_up: FollowUp) -> None:
    url = reverse("evaluations:followup_record", args=[follow_up.pk])
    assert web(county, "office").post(url, {"method": "phone", "findings": "无意见"}).status_code == 403


def test_the_office_reassigns_on_the_page(county: County, follow_up: FollowUp) -> None:
    target = county.user("supervisor", other=True)
    url = reverse("evaluations:followup_assign", args=[follow_up.pk])
    assert web(county, "office").post(url, {"assignee": target.pk}).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.assigned_to == target


def test_reassigning_to_a_non_supervisor_on_the_page_is_refused(county: County, follow_up: FollowUp) -> None:
    url = reverse("evaluations:followup_assign", args=[follow_up.pk])
    response = web(county, "office").post(url, {"assignee": county.user("inspector").pk})
    assert response.status_code == 400 and "在岗的县司法局执法监督人员" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.assigned_to == county.user("supervisor")
