"""Grades are not disclosed outside the administration, not even to the graded enterprise (docs/grading.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from qijian.core.testing import County, login_verified
from qijian.enterprises.choices import Grade
from qijian.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def _own_enterprise(county: County) -> Enterprise:
    enterprise = county.user("enterprise").enterprise
    assert enterprise is not None
    Enterprise.objects.filter(pk=enterprise.pk).update(grade=Grade.A)
    return enterprise


def test_the_enterprise_page_hides_the_grade_from_the_enterprise_itself(client, county: County) -> None:
    enterprise = _own_enterprise(county)
    login_verified(client, county.user("enterprise"))
    page = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert enterprise.name in page
    assert "分级分类" not in page


def test_the_enterprise_page_shows_the_grade_to_the_office(client, county: County) -> None:
    enterprise = _own_enterprise(county)
    login_verified(client, county.user("office"))
    page = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "分级分类" in page


def _api(user: Any) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def test_the_api_omits_the_grade_for_the_enterprise_and_ignores_a_grade_filter(county: County) -> None:
    enterprise = _own_enterprise(county)
    api = _api(county.user("enterprise"))
    record = api.get(f"/api/v1/enterprises/{enterprise.pk}/").json()
    assert record["id"] == enterprise.pk and "grade" not in record
    for grade in (Grade.A, Grade.C):  # the same answer whatever grade is asked: nothing to infer
        listed = api.get("/api/v1/enterprises/", {"grade": grade}).json()["results"]
        assert [r["id"] for r in listed] == [enterprise.pk]


def test_the_api_gives_the_grade_and_its_filter_to_the_office(county: County) -> None:
    enterprise = _own_enterprise(county)
    api = _api(county.user("office"))
    assert api.get(f"/api/v1/enterprises/{enterprise.pk}/").json()["grade"] == "A"
    listed = api.get("/api/v1/enterprises/", {"grade": "C"}).json()["results"]
    assert enterprise.pk not in [r["id"] for r in listed]
