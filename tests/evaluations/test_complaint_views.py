"""Complaint pages: the staff list (filters, query count), detail with timeline, the register / accept /
reply / reject forms, and the enterprise's own complaints and form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qijian.core.testing import County, login_verified
from qijian.evaluations.models import Complaint
from tests.evaluations.complaint_factories import (
    Inspection,
    accepted,
    build_inspection,
    enterprise_complaint,
    staff_complaint,
)


@pytest.fixture
def inspection(county: County) -> Inspection:
    return build_inspection(county)


def _as(client: Client, county: County, role: str, *, other: bool = False) -> Client:
    login_verified(client, county.user(role, other=other))
    return client


def test_list_filters_by_status_source_department_and_overdue(county: County, client: Client) -> None:
    late = staff_complaint(county, department=county.dept, summary="投诉甲AAA")
    Complaint.objects.filter(pk=late.pk).update(accept_due=dt.date(2026, 1, 5), reply_due=dt.date(2026, 1, 20))
    accepted(county, staff_complaint(county, department=county.other_dept, summary="投诉乙BBB"))
    _as(client, county, "office")
    for query, shown in (
        ({}, {"AAA", "BBB"}),
        ({"status": "handling"}, {"BBB"}),
        ({"department": county.dept.pk}, {"AAA"}),
        ({"overdue": "true"}, {"AAA"}),
        ({"overdue": "false"}, {"BBB"}),
        ({"source": "hotline"}, set()),
        ({"q": late.number}, {"AAA"}),
    ):
        html = client.get(reverse("evaluations:complaint_list"), query).content.decode()
        assert {m for m in ("AAA", "BBB") if m in html} == shown, query


def test_list_query_count_does_not_grow_with_rows(
    county: County, client: Client, inspection: Inspection, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        complaint = staff_complaint(county, filing=inspection.filing, summary=f"投诉{n}")
        if n % 2:
            accepted(county, complaint)
    _as(client, county, "supervisor")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("evaluations:complaint_list"))
    assert response.status_code == 200 and response.content.decode().count("投诉1") >= 1


@pytest.mark.parametrize("role", ["dept_admin", "inspector", "random_coordinator", "discipline", "enterprise"])
def test_list_and_detail_are_refused_to_other_roles(county: County, client: Client, role: str) -> None:
    complaint = staff_complaint(county, department=county.dept)
    _as(client, county, role)
    assert client.get(reverse("evaluations:complaint_list")).status_code == 403
    assert client.get(reverse("evaluations:complaint_detail", args=[complaint.pk])).status_code == 403


def test_detail_shows_the_timeline_and_the_accept_form(county: County, client: Client) -> None:
    complaint = staff_complaint(county)
    html = _as(client, county, "supervisor").get(reverse("evaluations:complaint_detail", args=[complaint.pk]))
    text = html.content.decode()
    assert "登记投诉举报" in text and "受理" in text and complaint.summary in text


def test_register_page_creates_a_complaint(county: County, client: Client, inspection: Inspection) -> None:
    data = {"summary": "执法人员超范围检查。", "complainant": "周某", "contact": "13900001111", "filing": "BB1"}
    response = _as(client, county, "office").post(reverse("evaluations:complaint_register"), data)
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{complaint.pk}/")
    assert complaint.department == county.dept and complaint.source == "staff"


def test_register_page_shows_a_link_error_and_writes_nothing(
    county: County, client: Client, inspection: Inspection
) -> None:
    data = {"summary": "超范围检查。", "filing": "BB1", "department": county.other_dept.pk}
    response = _as(client, county, "office").post(reverse("evaluations:complaint_register"), data)
    assert response.status_code == 400 and "报备部门" in response.content.decode()
    assert not Complaint.objects.exists()


def test_accept_reply_through_the_pages(county: County, client: Client) -> None:
    complaint = staff_complaint(county)
    _as(client, county, "supervisor")
    handler = county.user("supervisor", other=True)
    response = client.post(reverse("evaluations:complaint_accept", args=[complaint.pk]), {"handler": handler.pk})
    assert response.status_code == 302
    bad = client.post(reverse("evaluations:complaint_reply", args=[complaint.pk]), {"outcome": ""})
    assert bad.status_code == 400
    client.post(reverse("evaluations:complaint_reply", args=[complaint.pk]), {"outcome": "已约谈执法人员并整改"})
    complaint.refresh_from_db()
    assert (
        complaint.status == "replied" and complaint.handler == handler and complaint.outcome == "已约谈执法人员并整改"
    )


def test_accepting_a_non_supervisor_is_refused_on_the_page(county: County, client: Client) -> None:
    complaint = staff_complaint(county)
    response = _as(client, county, "office").post(
        reverse("evaluations:complaint_accept", args=[complaint.pk]), {"handler": county.user("dept_admin").pk}
    )
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_reject_through_the_page(county: County, client: Client) -> None:
    complaint = staff_complaint(county)
    client = _as(client, county, "office")
    client.post(reverse("evaluations:complaint_reject", args=[complaint.pk]), {"reason": "不属于检查行为"})
    complaint.refresh_from_db()
    assert complaint.status == "rejected" and complaint.feedback == "phone"


def test_writes_are_refused_to_departments(county: County, client: Client) -> None:
    complaint = staff_complaint(county, department=county.dept)
    _as(client, county, "dept_admin")
    assert client.post(reverse("evaluations:complaint_reject", args=[complaint.pk]), {"reason": "x"}).status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == "received"


# --- enterprise pages ----------------------------------------------------------------------------------


def test_enterprise_complains_about_its_inspection_through_the_form(
    county: County, client: Client, inspection: Inspection
) -> None:
    _as(client, county, "enterprise")
    form = client.get(reverse("evaluations:my_complaint_new")).content.decode()
    assert "BB1" in form and "BB2" not in form  # the other enterprise's filing is not offered
    response = client.post(
        reverse("evaluations:my_complaint_new"),
        {"inspection": f"checkin:{inspection.checkin.pk}", "summary": "检查持续时间过长。"},
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.source == "enterprise" and complaint.filing == inspection.filing


def test_enterprise_form_refuses_another_enterprises_filing(
    county: County, client: Client, inspection: Inspection
) -> None:
    _as(client, county, "enterprise")
    response = client.post(
        reverse("evaluations:my_complaint_new"),
        {"inspection": f"filing:{inspection.other_filing.pk}", "summary": "问题"},
    )
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_enterprise_sees_only_its_own_online_complaints(county: County, client: Client, inspection: Inspection) -> None:
    own = enterprise_complaint(county, inspection, summary="本企业在线投诉")
    hotline = staff_complaint(county, enterprise=county.enterprise, summary="员工向司法局反映")
    _as(client, county, "enterprise")
    html = client.get(reverse("evaluations:my_complaints")).content.decode()
    assert "本企业在线投诉" in html and "员工向司法局反映" not in html
    assert client.get(reverse("evaluations:my_complaint", args=[own.pk])).status_code == 200
    assert client.get(reverse("evaluations:my_complaint", args=[hotline.pk])).status_code == 404
    _as(client, county, "enterprise", other=True)
    assert client.get(reverse("evaluations:my_complaint", args=[own.pk])).status_code == 404
