"""Grading pages: lists with explanations, override and approval forms, the C list, the import page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qijian.audit.models import AuditEvent
from qijian.core.codes.uscc import make_uscc
from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.grading.importing import HEADERS
from qijian.grading.models import GradeList, IndicatorValue
from tests.grading.factories import DECEMBER, POOR, draft, grading_decision, in_force, values
from tests.plans.factories import freeze

pytestmark = pytest.mark.django_db
ClientOf = Callable[..., Client]
# Session, user, OTP device + the list + count + one page of entries + decisions + timeline (8 measured).
LIST_QUERIES = 8


def get(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_office_produces_a_draft_from_the_page(
    county: County, client_of: ClientOf, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, DECEMBER)
    response = client_of("office").post(reverse("grading:list_produce"), {"year": 2027})
    grade_list = GradeList.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("grading:list_detail", args=[grade_list.pk])
    assert "2027年度" in get(client_of("office"), reverse("grading:list_index"))


def test_a_bad_year_is_refused_with_a_message_and_nothing_written(
    county: County, client_of: ClientOf, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, DECEMBER)
    client = client_of("office")
    response = client.post(reverse("grading:list_produce"), {"year": 2020}, follow=True)
    assert "已经过去" in response.content.decode() and not GradeList.objects.exists()


def test_the_list_page_shows_each_grade_with_what_moved_it(
    county: County, client_of: ClientOf, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: Any
) -> None:
    values(county.other_enterprise, **POOR)
    grade_list = draft(county, monkeypatch)
    client = client_of("supervisor")
    with django_assert_max_num_queries(LIST_QUERIES):
        body = get(client, reverse("grading:list_detail", args=[grade_list.pk]))
    assert county.other_enterprise.name in body and "公共信用综合评价等级 -12.25分,封顶C类" in body
    only_c = get(client, reverse("grading:list_detail", args=[grade_list.pk]), grade="C")
    assert county.other_enterprise.name in only_c and county.enterprise.name not in only_c


def test_the_list_page_query_count_does_not_grow_with_the_entries(
    county: County, client_of: ClientOf, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: Any
) -> None:
    base = {"type": "company", "industry": county.industry, "township": county.township, "address": "沧县"}
    Enterprise.objects.bulk_create(
        [
            Enterprise(uscc=make_uscc("91130921", f"MA0Q{n:04d}"), name=f"企业{n}", legal_representative="李", **base)
            for n in range(60)
        ]
    )
    grade_list = draft(county, monkeypatch)
    client = client_of("office")
    with django_assert_max_num_queries(LIST_QUERIES):
        get(client, reverse("grading:list_detail", args=[grade_list.pk]))


def test_entry_page_explains_and_the_override_form_audits(
    county: County, client_of: ClientOf, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = draft(county, monkeypatch).entries.get(enterprise=county.enterprise)
    url = reverse("grading:entry_detail", args=[entry.pk])
    body = get(client_of("office"), url)
    assert "评分说明" in body and "无数据" in body and "人工调整等级" in body
    assert "人工调整等级" not in get(client_of("dept_admin"), url)
    client = client_of("office")
    client.post(reverse("grading:entry_override", args=[entry.pk]), {"grade": "C", "reason": ""})
    assert not AuditEvent.objects.filter(action="grading.override_grade").exists()
    client.post(reverse("grading:entry_override", args=[entry.pk]), {"grade": "C", "reason": "多次拒不整改"})
    entry.refresh_from_db()
    assert (entry.grade, entry.override_reason) == ("C", "多次拒不整改")
    assert "人工调整企业等级" in get(client, url)  # the timeline


def test_approval_form_takes_a_grading_decision(
    county: County, client_of: ClientOf, monkeypatch: pytest.MonkeyPatch
) -> None:
    grade_list = draft(county, monkeypatch)
    decision = grading_decision(county)
    body = get(client_of("office"), reverse("grading:list_detail", args=[grade_list.pk]))
    assert decision.number in body
    client_of("office").post(reverse("grading:list_approve", args=[grade_list.pk]), {"decision": decision.pk})
    grade_list.refresh_from_db()
    assert grade_list.status == "approved" and grade_list.decision == decision


def test_the_c_list_page(
    county: County, client_of: ClientOf, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: Any
) -> None:
    in_force(county, monkeypatch)
    client = client_of("dept_admin")
    with django_assert_max_num_queries(LIST_QUERIES):
        body = get(client, reverse("grading:focus_list"))
    assert county.other_enterprise.name in body and county.enterprise.name not in body


@pytest.mark.parametrize("role", ["enterprise", "inspector", "discipline", "sysadmin"])
def test_grades_are_not_shown_outside_the_overseers_and_department_admins(
    county: County, client_of: ClientOf, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    grade_list = in_force(county, monkeypatch)
    entry = grade_list.entries.get(enterprise=county.enterprise)
    client = client_of(role)
    for url in (
        reverse("grading:list_index"),
        reverse("grading:list_detail", args=[grade_list.pk]),
        reverse("grading:entry_detail", args=[entry.pk]),
        reverse("grading:focus_list"),
        reverse("api:gradeentry-list"),
    ):
        assert client.get(url).status_code in (403, 404), url


def test_the_import_page_stores_values_and_shows_row_errors(county: County, client_of: ClientOf) -> None:
    client = client_of("office")
    good = f"{','.join(HEADERS)}\n{county.enterprise.uscc},2025,A,A,是,10,5,0\n".encode()
    response = client.post(reverse("grading:import_upload"), {"file": SimpleUploadedFile("a.csv", good)}, follow=True)
    assert "导入成功" in response.content.decode() and IndicatorValue.objects.count() == 1
    bad = f"{','.join(HEADERS)}\n{county.enterprise.uscc},2025,Z,A,是,10,5,0\n".encode()
    response = client.post(reverse("grading:import_upload"), {"file": SimpleUploadedFile("b.csv", bad)}, follow=True)
    body = response.content.decode()
    assert "第2行" in body and "公共信用综合评价等级" in body and "下载错误报告" in body
    assert IndicatorValue.objects.get().credit_rating == "A"
    assert client_of("dept_admin").get(reverse("grading:import_upload")).status_code == 403
    assert client.get(reverse("grading:import_template")).status_code == 200


def test_api_lists_grades_in_force_for_overseers(
    county: County, client_of: ClientOf, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_force(county, monkeypatch)
    response = client_of("random_coordinator").get(reverse("api:gradeentry-list"), {"list_status": "in_force"})
    rows = {r["uscc"]: (r["grade"], r["focus"]) for r in response.json()["results"]}
    assert rows == {county.enterprise.uscc: ("A", False), county.other_enterprise.uscc: ("C", True)}
