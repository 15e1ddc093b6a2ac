"""Filing pages: who sees what, the forms call the services (errors shown, nothing written), the office's
"new" marks, and a fixed number of queries on the list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qijian.core.testing import County, login_verified
from qijian.inspections import services
from qijian.inspections.models import Filing
from tests.inspections.conftest import Setup, at

LIST_QUERIES = 8  # middleware (4), department filter choices, count, rows, enterprises, unread count


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _client(county: County, role: str, *, other: bool = False) -> Client:
    client = Client()
    login_verified(client, county.user(role, other=other))
    return client


def _file(s: Setup, day: int = 1) -> Filing:
    return services.file_planned(
        actor=s.admin,
        entry=s.entry,
        enterprises=[s.county.enterprise],
        inspectors=s.pair,
        window_start=at(day, 9),
        window_end=at(day, 17),
    )


def _local(moment: Any) -> str:
    return moment.astimezone(at().tzinfo).strftime("%Y-%m-%dT%H:%M")


def test_office_sees_every_filing_marked_new_until_opened(setup: Setup) -> None:
    filing = _file(setup)
    office = _client(setup.county, "office")
    page = office.get(reverse("inspections:list")).content.decode()
    assert filing.number in page and "未查阅 1 条" in page and ">新<" in page
    detail = office.get(reverse("inspections:detail", args=[filing.pk])).content.decode()
    assert setup.colleague.certificate_no in detail and setup.county.enterprise.uscc in detail
    assert "未查阅 0 条" in office.get(reverse("inspections:list")).content.decode()


def test_each_side_sees_only_its_own_filings(setup: Setup) -> None:
    filing = _file(setup)
    url = reverse("inspections:list")
    for role in ("dept_admin", "inspector", "enterprise"):
        assert filing.number in _client(setup.county, role).get(url).content.decode(), role
        assert filing.number not in _client(setup.county, role, other=True).get(url).content.decode(), role
        other_detail = _client(setup.county, role, other=True).get(reverse("inspections:detail", args=[filing.pk]))
        assert other_detail.status_code == 404, role
    assert _client(setup.county, "auditor").get(url).status_code == 403


def test_list_filters_by_status_and_enterprise(setup: Setup) -> None:
    first = _file(setup, 1)
    second = _file(setup, 2)
    services.cancel_filing(actor=setup.admin, filing=first, reason="企业停产")
    office = _client(setup.county, "office")
    page = office.get(reverse("inspections:list"), {"status": "cancelled"}).content.decode()
    assert first.number in page and second.number not in page
    page = office.get(reverse("inspections:list"), {"enterprise": "乙公司"}).content.decode()
    assert first.number not in page


def test_list_query_count_does_not_grow_with_rows(setup: Setup, django_assert_max_num_queries: Any) -> None:
    for day in range(1, 8):
        _file(setup, day)
    office = _client(setup.county, "office")
    with django_assert_max_num_queries(LIST_QUERIES):
        response = office.get(reverse("inspections:list"))
    assert response.content.decode().count("BB") >= 7


def test_planned_form_files_and_redirects_to_the_filing(setup: Setup) -> None:
    admin = _client(setup.county, "dept_admin")
    assert setup.item.name in admin.get(reverse("inspections:planned_create")).content.decode()
    response = admin.post(
        reverse("inspections:planned_create"),
        {
            "entry": setup.entry.pk,
            "enterprises": f"{setup.county.enterprise.name}\n",
            "inspectors": [i.pk for i in setup.pair],
            "window_start": _local(at(1, 9)),
            "window_end": _local(at(1, 17)),
        },
    )
    filing = Filing.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inspections:detail", args=[filing.pk])


def test_planned_form_shows_the_service_error_and_writes_nothing(setup: Setup) -> None:
    admin = _client(setup.county, "dept_admin")
    response = admin.post(
        reverse("inspections:planned_create"),
        {
            "entry": setup.entry.pk,
            "enterprises": "91130921MA0XXXXX9X",
            "inspectors": [i.pk for i in setup.pair],
            "window_start": _local(at(1, 9)),
            "window_end": _local(at(1, 17)),
        },
    )
    assert response.status_code == 200 and "不在企业库" in response.content.decode()
    assert not Filing.objects.exists()


def test_urgent_form_starts_now_and_has_no_start_field(setup: Setup) -> None:
    admin = _client(setup.county, "dept_admin")
    page = admin.get(reverse("inspections:urgent_create")).content.decode()
    assert "不可修改" in page and 'name="window_start"' not in page
    response = admin.post(
        reverse("inspections:urgent_create"),
        {
            "reason": "complaint",
            "reason_detail": "12345 热线投诉",
            "item": setup.item.pk,
            "enterprises": setup.county.enterprise.uscc,
            "inspectors": [i.pk for i in setup.pair],
            "window_end": _local(at(1, 12)),
            "method": "onsite",
            "window_start": "2020-01-01T00:00",  # ignored: the server's clock decides
        },
    )
    assert response.status_code == 302
    assert Filing.objects.get().window_start.year >= 2026


def test_amend_and_cancel_pages(setup: Setup) -> None:
    filing = _file(setup)
    admin = _client(setup.county, "dept_admin")
    response = admin.post(
        reverse("inspections:amend", args=[filing.pk]),
        {
            "enterprises": setup.county.enterprise.uscc,
            "inspectors": [i.pk for i in setup.pair],
            "window_end": _local(at(1, 18)),
            "reason": "延长一小时",
        },
    )
    amended = Filing.objects.get(supersedes=filing)
    assert response.status_code == 302
    detail = admin.get(reverse("inspections:detail", args=[amended.pk])).content.decode()
    assert filing.number in detail and amended.number in detail
    response = admin.post(reverse("inspections:cancel", args=[amended.pk]), {"reason": "企业停产"})
    assert response.status_code == 302
    amended.refresh_from_db()
    assert amended.status == "cancelled"


def test_other_department_admin_cannot_open_the_amend_page(setup: Setup) -> None:
    filing = _file(setup)
    other = _client(setup.county, "dept_admin", other=True)
    assert other.get(reverse("inspections:amend", args=[filing.pk])).status_code == 404
    assert other.post(reverse("inspections:cancel", args=[filing.pk]), {"reason": "x"}).status_code == 404


def test_superior_and_acceptance_pages(setup: Setup, settings: Any) -> None:
    admin = _client(setup.county, "dept_admin")
    response = admin.post(
        reverse("inspections:superior_create"),
        {
            "superior_department": setup.province.pk,
            "item": setup.item.pk,
            "enterprises": setup.county.enterprise.uscc,
            "inspectors": [i.pk for i in setup.pair],
            "window_start": _local(at(3, 9)),
            "window_end": _local(at(3, 17)),
        },
    )
    assert response.status_code == 302, response.content.decode()
    parent = Filing.objects.get()
    assert "勘察验收报备" in admin.get(reverse("inspections:detail", args=[parent.pk])).content.decode()
    response = admin.post(
        reverse("inspections:acceptance_create", args=[parent.pk]),
        {
            "enterprises": setup.county.enterprise.uscc,
            "inspectors": [i.pk for i in setup.pair],
            "window_start": _local(at(6, 9)),
            "window_end": _local(at(6, 11)),
        },
    )
    assert response.status_code == 302
    assert Filing.objects.get(acceptance_of=parent)
