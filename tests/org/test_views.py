"""Department and inspector pages: who sees what, filters, search, keyset pages, timeline, query counts."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from qijian.core.testing import County, login_verified
from qijian.org.models import Department, Inspector
from qijian.org.services import add_platform, create_department, declare_conflict

# Not discipline: it reads its approved referrals only (纪检监察移送).
STAFF = ["office", "supervisor", "random_coordinator", "dept_admin", "inspector", "sysadmin"]
# Middleware (session, user, OTP device, idle-timeout stamp) plus the page's own queries: filter choices,
# the page of rows and one total. Fixed, whatever the number of rows.
LIST_QUERIES = 6
# Middleware plus the object (foreign keys joined), its related rows, its timeline.
DETAIL_QUERIES = 6


def _client(county: County, role: str, *, other: bool = False) -> Client:
    client = Client()
    login_verified(client, county.user(role, other=other))
    return client


def _inspectors(county: County, n: int, *, department: Department | None = None, days_left: int = 365) -> None:
    today = dt.date.today()
    Inspector.objects.bulk_create(
        Inspector(
            name=f"检查员{i:03d}",
            certificate_no=f"1309219{i:04d}",
            department=department or county.dept,
            certificate_valid_from=today - dt.timedelta(days=30),
            certificate_valid_until=today + dt.timedelta(days=days_left),
        )
        for i in range(n)
    )


def test_department_and_inspector_lists_render_for_staff_roles(county: County) -> None:
    for role in STAFF:
        client = _client(county, role)
        response = client.get(reverse("org:department_list"))
        assert response.status_code == 200, role
        assert "县应急管理局" in response.content.decode()
        assert "李四" in client.get(reverse("org:inspector_list")).content.decode(), role


def test_registry_lists_refuse_roles_without_registry_access(county: County) -> None:
    for role in ["enterprise", "secadmin", "auditor", "discipline"]:
        client = _client(county, role)
        assert client.get(reverse("org:department_list")).status_code == 403, role
        assert client.get(reverse("org:inspector_list")).status_code == 403, role
        assert client.get(reverse("org:department_detail", args=[county.dept.pk])).status_code == 404, role


def test_department_list_filters_by_high_frequency_and_level(county: County) -> None:
    Department.objects.create(name="县教育局", code="CX-JY", region=county.county, high_frequency=False)
    client = _client(county, "office")
    body = client.get(reverse("org:department_list"), {"high_frequency": "false"}).content.decode()
    assert "县教育局" in body and "县应急管理局" not in body
    body = client.get(reverse("org:department_list"), {"level": "township"}).content.decode()
    assert "县教育局" not in body and "没有符合条件的部门" in body


def test_department_list_filters_by_region_and_searches_by_name(county: County) -> None:
    Department.objects.create(name="旧州镇综合执法队", code="JZ-ZF", region=county.township, level="township")
    client = _client(county, "office")
    body = client.get(reverse("org:department_list"), {"region": county.township.pk}).content.decode()
    assert "旧州镇综合执法队" in body and "县应急管理局" not in body
    body = client.get(reverse("org:department_list"), {"q": "生态"}).content.decode()
    assert "县生态环境分局" in body and "县应急管理局" not in body


def test_department_detail_shows_platforms_inspector_count_and_timeline(county: County) -> None:
    actor = county.user("sysadmin")
    dept = create_department(actor=actor, name="县市场监管局", code="CX-SC", region=county.county)
    add_platform(actor=actor, department=dept, name="河北省市场监管综合执法平台", level="province", purposes="检查")
    _inspectors(county, 3, department=dept)
    body = _client(county, "office").get(reverse("org:department_detail", args=[dept.pk])).content.decode()
    assert "河北省市场监管综合执法平台" in body
    assert "3 人" in body
    assert "新建部门" in body and "org.create_department" in body


def test_inspector_list_of_dept_admin_shows_only_its_department(county: County) -> None:
    body = _client(county, "dept_admin").get(reverse("org:inspector_list")).content.decode()
    assert "李四" in body and "王五" not in body


def test_inspector_list_searches_by_name_and_certificate_prefix(county: County) -> None:
    client = _client(county, "office")
    body = client.get(reverse("org:inspector_list"), {"q": "王五"}).content.decode()
    assert "王五" in body and "李四" not in body
    body = client.get(reverse("org:inspector_list"), {"q": "13092100001"}).content.decode()
    assert "李四" in body and "王五" not in body


def test_inspector_list_filters_expiring_certificates_status_and_department(county: County) -> None:
    Inspector.objects.filter(pk=county.inspector.pk).update(
        certificate_valid_until=dt.date.today() + dt.timedelta(days=20)
    )
    Inspector.objects.filter(pk=county.other_inspector.pk).update(status="suspended")
    client = _client(county, "office")
    body = client.get(reverse("org:inspector_list"), {"expiring": "30"}).content.decode()
    assert "李四" in body and "王五" not in body
    body = client.get(reverse("org:inspector_list"), {"status": "suspended"}).content.decode()
    assert "王五" in body and "李四" not in body
    body = client.get(reverse("org:inspector_list"), {"department": county.other_dept.pk}).content.decode()
    assert "王五" in body and "李四" not in body


def test_inspector_detail_of_another_department_is_not_found(county: County) -> None:
    client = _client(county, "dept_admin")
    assert client.get(reverse("org:inspector_detail", args=[county.inspector.pk])).status_code == 200
    assert client.get(reverse("org:inspector_detail", args=[county.other_inspector.pk])).status_code == 404


def test_inspector_detail_shows_declared_conflicts_and_their_audit_event(county: County) -> None:
    declare_conflict(
        actor=county.user("dept_admin"),
        inspector=county.inspector,
        enterprise=county.enterprise,
        reason="近亲属任该企业高管",
        declared_on=dt.date.today(),
    )
    body = (
        _client(county, "dept_admin").get(reverse("org:inspector_detail", args=[county.inspector.pk])).content.decode()
    )
    assert "近亲属任该企业高管" in body and "沧县甲公司" in body
    assert "暂无操作记录" in body  # the conflict's event is the conflict's, not the inspector's


def test_inspector_list_keyset_pages_forward_and_back(county: County) -> None:
    _inspectors(county, 60)
    client = _client(county, "office")
    first = client.get(reverse("org:inspector_list"))
    assert len(first.context["page"].items) == 50 and first.context["page"].prev_url is None
    second = client.get(reverse("org:inspector_list") + first.context["page"].next_url)
    assert len(second.context["page"].items) == 12 and second.context["page"].next_url is None
    back = client.get(reverse("org:inspector_list") + second.context["page"].prev_url)
    assert [i.pk for i in back.context["page"].items] == [i.pk for i in first.context["page"].items]


def test_org_list_query_count_does_not_grow_with_rows(county: County, django_assert_num_queries) -> None:
    client = _client(county, "office")
    url_names = ["org:department_list", "org:inspector_list"]
    for url_name in url_names:
        with django_assert_num_queries(LIST_QUERIES):
            assert client.get(reverse(url_name)).status_code == 200
    _inspectors(county, 60)
    Department.objects.bulk_create(
        Department(name=f"部门{i}", code=f"D{i:03d}", region=county.county) for i in range(60)
    )
    for url_name in url_names:
        with django_assert_num_queries(LIST_QUERIES):
            assert client.get(reverse(url_name)).status_code == 200


def test_org_detail_query_count_does_not_grow_with_rows(county: County, django_assert_num_queries) -> None:
    client = _client(county, "office")
    urls = [
        reverse("org:department_detail", args=[county.dept.pk]),
        reverse("org:inspector_detail", args=[county.inspector.pk]),
    ]
    for url in urls:
        with django_assert_num_queries(DETAIL_QUERIES):
            assert client.get(url).status_code == 200
    _inspectors(county, 60)
    for url in urls:
        with django_assert_num_queries(DETAIL_QUERIES):
            assert client.get(url).status_code == 200
