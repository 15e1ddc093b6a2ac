"""Enterprise pages: scoping, filters, search, keyset pages, pilot-code warning, timeline, query counts."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.urls import reverse

from qijian.core.codes.uscc import make_uscc
from qijian.core.testing import County, login_verified
from qijian.enterprises.models import Enterprise, Industry
from qijian.enterprises.services import register_enterprise, set_grade

# Not discipline: it reads its approved referrals only (纪检监察移送).
READERS = ["office", "supervisor", "random_coordinator", "dept_admin", "inspector", "sysadmin"]
# Middleware (session, user, OTP device, idle-timeout stamp) plus the page's own queries: filter choices,
# the page of rows and one total. Fixed, whatever the number of rows.
LIST_QUERIES = 7
# Middleware plus the object (foreign keys joined), its related rows, its timeline.
DETAIL_QUERIES = 6


def _client(county: County, role: str, *, other: bool = False) -> Client:
    client = Client()
    login_verified(client, county.user(role, other=other))
    return client


def _enterprises(county: County, n: int, **fields: object) -> list[Enterprise]:
    base = {"type": "company", "industry": county.industry, "township": county.township, "address": "沧县"}
    rows = [
        Enterprise(
            uscc=make_uscc("91130921", f"MB{i:06d}"), name=f"批量企业{i:03d}", legal_representative="赵六", **base
        )
        for i in range(n)
    ]
    for row in rows:
        for key, value in fields.items():
            setattr(row, key, value)
    return Enterprise.objects.bulk_create(rows)


def _names(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {e.name for e in response.context["page"].items}


def test_enterprise_list_renders_for_registry_readers(county: County) -> None:
    for role in READERS:
        response = _client(county, role).get(reverse("enterprises:list"))
        assert response.status_code == 200, role
        assert _names(response) == {"沧县甲公司", "沧县乙公司"}


def test_enterprise_user_on_the_list_is_sent_to_its_own_record(county: County) -> None:
    response = _client(county, "enterprise").get(reverse("enterprises:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:detail", args=[county.enterprise.pk])


def test_enterprise_list_is_forbidden_to_security_roles(county: County) -> None:
    for role in ["secadmin", "auditor", "discipline"]:
        client = _client(county, role)
        assert client.get(reverse("enterprises:list")).status_code == 403, role
        assert client.get(reverse("enterprises:detail", args=[county.enterprise.pk])).status_code == 404, role


def test_enterprise_user_gets_404_on_another_enterprise(county: County) -> None:
    client = _client(county, "enterprise")
    assert client.get(reverse("enterprises:detail", args=[county.enterprise.pk])).status_code == 200
    assert client.get(reverse("enterprises:detail", args=[county.other_enterprise.pk])).status_code == 404


def test_enterprise_list_filters_by_township_and_grade(county: County) -> None:
    Enterprise.objects.filter(pk=county.other_enterprise.pk).update(grade="A")
    client = _client(county, "office")
    assert _names(client.get(reverse("enterprises:list"), {"township": county.other_township.pk})) == {"沧县乙公司"}
    assert _names(client.get(reverse("enterprises:list"), {"grade": "A"})) == {"沧县乙公司"}
    both: dict[str, Any] = {"township": county.township.pk, "grade": "A"}
    assert _names(client.get(reverse("enterprises:list"), both)) == set()


def test_enterprise_list_filters_by_industry_section_type_status_and_code_status(county: County) -> None:
    section = Industry.objects.create(code="F", name="批发和零售业")
    retail = Industry.objects.create(code="F52", name="零售业", parent=section)
    _enterprises(county, 1, industry=retail, type="partnership", status="closed", uscc_status="pilot")
    client = _client(county, "office")
    cases: list[dict[str, Any]] = [
        {"industry": section.pk},
        {"type": "partnership"},
        {"status": "closed"},
        {"uscc_status": "pilot"},
    ]
    for params in cases:
        assert _names(client.get(reverse("enterprises:list"), params)) == {"批量企业000"}, params
    assert _names(client.get(reverse("enterprises:list"), {"industry": str(county.industry.parent_id)})) == {
        "沧县甲公司",
        "沧县乙公司",
    }


def test_enterprise_search_by_name_substring_and_credit_code_prefix(county: County) -> None:
    client = _client(county, "office")
    assert _names(client.get(reverse("enterprises:list"), {"q": "乙公"})) == {"沧县乙公司"}
    prefix = county.enterprise.uscc[:16].lower()
    assert _names(client.get(reverse("enterprises:list"), {"q": prefix})) == {"沧县甲公司"}


def test_enterprise_list_shows_estimated_total_only_when_unfiltered(county: County) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does in production: the estimate needs statistics
            cursor.execute("ANALYZE enterprises_enterprise")
    client = _client(county, "office")
    assert "共约" in client.get(reverse("enterprises:list")).content.decode()
    assert "共约" not in client.get(reverse("enterprises:list"), {"grade": "B"}).content.decode()


def test_enterprise_list_keyset_pages_keep_filters(county: County) -> None:
    _enterprises(county, 60, grade="C")
    client = _client(county, "office")
    first = client.get(reverse("enterprises:list"), {"grade": "C"})
    page = first.context["page"]
    assert len(page.items) == 50 and page.prev_url is None and "grade=C" in page.next_url
    second = client.get(reverse("enterprises:list") + page.next_url)
    assert len(second.context["page"].items) == 10 and second.context["page"].next_url is None
    assert all(e.grade == "C" for e in second.context["page"].items)
    back = client.get(reverse("enterprises:list") + second.context["page"].prev_url)
    assert [e.pk for e in back.context["page"].items] == [e.pk for e in page.items]


def test_enterprise_detail_warns_about_a_pilot_code(county: County) -> None:
    valid = make_uscc("91130921", "MA0PLT01")
    pilot = register_enterprise(
        actor=county.user("sysadmin"),
        uscc=valid[:-1] + ("1" if valid[-1] == "0" else "0"),  # a wrong check character
        name="沧县试点公司",
        type="company",
        industry=county.industry,
        township=county.township,
        address="沧县",
        legal_representative="钱七",
    )
    assert pilot.uscc_status == "pilot"
    body = _client(county, "office").get(reverse("enterprises:detail", args=[pilot.pk])).content.decode()
    assert "早期试点代码" in body and "alert-warning" in body
    assert "登记企业" in body  # the registration event on the timeline


def test_enterprise_detail_timeline_shows_grade_changes(county: County) -> None:
    set_grade(actor=county.user("sysadmin"), enterprise=county.enterprise, grade="A", reason="年度评定")
    body = _client(county, "office").get(reverse("enterprises:detail", args=[county.enterprise.pk])).content.decode()
    assert "调整分级分类" in body and "A类" in body
    assert "alert-warning" not in body
    # ... but not to the enterprise itself: grades are not disclosed (docs/grading.md)
    own = _client(county, "enterprise").get(reverse("enterprises:detail", args=[county.enterprise.pk]))
    assert own.status_code == 200 and "调整分级分类" not in own.content.decode()


def test_enterprise_list_query_count_does_not_grow_with_rows(county: County, django_assert_num_queries) -> None:
    client = _client(county, "office")
    # The unfiltered page reads a total estimate; a township filter validates its choice (one query);
    # a search does neither.
    cases: list[tuple[dict[str, Any], int]] = [
        ({}, LIST_QUERIES),
        ({"township": county.township.pk, "grade": "B"}, LIST_QUERIES),
        ({"q": "企业"}, LIST_QUERIES - 1),
    ]
    for rows in (0, 60):
        _enterprises(county, rows)
        for params, expected in cases:
            with django_assert_num_queries(expected):
                assert client.get(reverse("enterprises:list"), params).status_code == 200


def test_enterprise_detail_query_count_does_not_grow_with_rows(county: County, django_assert_num_queries) -> None:
    client = _client(county, "office")
    url = reverse("enterprises:detail", args=[county.enterprise.pk])
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(url).status_code == 200
    _enterprises(county, 60)
    for ent in Enterprise.objects.all()[:5]:
        set_grade(actor=county.user("sysadmin"), enterprise=ent, grade="C", reason="测试")
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(url).status_code == 200
