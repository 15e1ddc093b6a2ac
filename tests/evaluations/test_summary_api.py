"""GET /api/v1/evaluation-summary/: the county packet for the office, a department's own row for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from qijian.core.calendar import Quarter
from qijian.core.testing import County
from tests.evaluations import summary_factories as f
from tests.evaluations.answer_factories import answers_in

URL = "/api/v1/evaluation-summary/"
NOV = dt.date(2026, 11, 16)


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def filled(county: County) -> County:
    for satisfaction in ("非常满意", "满意", "基本满意"):
        f.respond(county, day=NOV, satisfaction=satisfaction, repeated="是")
    f.respond(county, day=NOV, department=county.other_dept, enterprise=county.other_enterprise, impact="影响较大")
    f.complaint(county, day=NOV)
    return county


def test_the_office_reads_the_county_summary_with_clue_details(filled: County) -> None:
    body = _client(filled.user("office")).get(URL, {"quarter": "2026Q4"}).json()
    assert body["quarter"] == "2026Q4" and body["department_only"] is False
    assert [d["name"] for d in body["departments"]] == ["县生态环境分局", "县应急管理局"]
    first = body["departments"][1]
    assert first["satisfaction_average"] == 4.0 and first["satisfaction"]["基本满意"] == 1
    assert first["answer_clues"]["repeated"] == 3
    assert body["county"]["responses"] == 4 and body["county"]["complaints_received"] == 1
    assert {d["kind"] for d in body["details"]} == {"问卷", "投诉"}


def test_a_small_group_has_no_satisfaction_figures(filled: County) -> None:
    body = _client(filled.user("supervisor")).get(URL, {"quarter": "2026Q4"}).json()
    other = body["departments"][0]
    assert other["satisfaction"] is None and other["satisfaction_average"] is None
    assert other["satisfaction_text"] == "样本不足"


def test_a_department_admin_reads_its_own_row_only(filled: County, monkeypatch: pytest.MonkeyPatch) -> None:
    answers_in(monkeypatch, Quarter.parse("2026Q4"))  # a department reads a quarter once its answers are in
    body = _client(filled.user("dept_admin", other=True)).get(URL, {"quarter": "2026Q4"}).json()
    assert body["department_only"] is True and body["details"] == [] and body["clues"] == []
    assert [d["name"] for d in body["departments"]] == ["县生态环境分局"]
    assert body["departments"][0]["answer_clues"] is None  # one answer: hidden
    assert "沧县乙公司" not in str(body) and "县应急管理局" not in str(body)


@pytest.mark.parametrize("role", ["random_coordinator", "inspector", "enterprise", "discipline"])
def test_other_roles_are_refused(county: County, role: str) -> None:
    assert _client(county.user(role)).get(URL).status_code == 403


def test_a_bad_quarter_is_a_400_with_a_chinese_message(county: County) -> None:
    response = _client(county.user("office")).get(URL, {"quarter": "2026Q9"})
    assert response.status_code == 400 and "季度" in str(response.json()["quarter"])


def test_the_summary_is_read_only(county: County) -> None:
    assert _client(county.user("office")).post(URL, {}, format="json").status_code in (403, 405)
