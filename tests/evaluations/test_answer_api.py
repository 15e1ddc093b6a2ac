"""The questionnaire API: versions for readers, identified responses for office and supervisor only,
anonymous aggregates scoped to a department admin's own department."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from qijian.core.testing import County, login_verified
from tests.evaluations import answer_factories as f


def _client(county: County, role: str) -> Client:
    client = Client()
    login_verified(client, county.user(role))
    return client


def test_a_department_admin_reads_the_questionnaire_with_its_questions(county: County) -> None:
    active = f.default_questionnaire()
    data = _client(county, "dept_admin").get(reverse("api:questionnaire-detail", args=[active.pk])).json()
    assert data["version"] == active.version and len(data["questions"]) == 10
    assert data["questions"][5]["explain_options"] == ["是"]


def test_responses_with_enterprise_and_answers_for_the_supervisor_only(
    county: County, django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        f.answered(county, of=f.enterprise(county, f"沧县接口{n}公司"), suggestions=f"接口意见{n}")
    client = _client(county, "supervisor")
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("api:questionnaireresponse-list"))
    rows = listing.json()["results"]
    assert len(rows) == 3 and {r["enterprise_name"] for r in rows} == {
        "沧县接口0公司",
        "沧县接口1公司",
        "沧县接口2公司",
    }
    texts = {a["text"] for r in rows for a in r["answers"] if a["code"] == "suggestions"}
    assert texts == {"接口意见0", "接口意见1", "接口意见2"}
    for role in ("dept_admin", "inspector", "enterprise", "discipline"):
        assert _client(county, role).get(reverse("api:questionnaireresponse-list")).status_code == 403


def test_the_response_list_filters_by_department(county: County) -> None:
    f.answered(county)
    f.answered(county, other_department=True)
    url = reverse("api:questionnaireresponse-list")
    rows = _client(county, "office").get(url, {"department": county.other_dept.pk}).json()["results"]
    assert [r["department"] for r in rows] == [county.other_dept.pk]


def test_aggregates_by_quarter_and_a_bad_quarter_is_a_400(county: County) -> None:
    f.answered(county)
    client = _client(county, "office")
    data = client.get(reverse("api:questionnaire-aggregates"), {"department": county.dept.pk}).json()
    assert data["departments"] == [county.dept.pk] and data["responses"] is None  # one enterprise: below min_group
    assert all(q["hidden"] for q in data["questions"])
    bad = client.get(reverse("api:questionnaire-aggregates"), {"quarter": "2026Q5"})
    assert bad.status_code == 400 and "quarter" in bad.json()
    assert _client(county, "inspector").get(reverse("api:questionnaire-aggregates")).status_code == 403
