"""The summary page, its downloads and the office dashboard card."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from qijian.audit.models import AuditEvent
from qijian.core.calendar import Quarter, local_today
from qijian.core.testing import County, login_verified
from qijian.evaluations.queries.summary import last_quarter
from tests.evaluations import summary_factories as f
from tests.evaluations.answer_factories import answers_in

URL = "/evaluations/summary/"


def _client(county: County, role: str, *, other: bool = False) -> Client:
    client = Client()
    login_verified(client, county.user(role, other=other))
    return client


@pytest.fixture
def last(county: County, monkeypatch: pytest.MonkeyPatch) -> County:
    """Last quarter (the page's default): three answers of the first department, one of the other; its
    answers are all in, so a department admin may read it whatever day the tests run."""
    answers_in(monkeypatch, last_quarter())
    day = last_quarter().start + dt.timedelta(days=20)
    for satisfaction in ("非常满意", "满意", "不满意"):
        f.respond(county, day=day, satisfaction=satisfaction, improper_requests="是")
    f.respond(county, day=day, department=county.other_dept, enterprise=county.other_enterprise)
    f.follow_up(county, due_on=day)  # overdue by now
    f.complaint(county, day=day)
    return county


def test_the_office_sees_every_department_the_charts_data_and_clue_details(last: County) -> None:
    response = _client(last, "office").get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "县应急管理局" in html and "县生态环境分局" in html and "全县合计" in html
    assert "问题线索和意见建议明细表" in html and "沧县甲公司" in html
    assert 'id="qj-summary-data"' in html and "qijian/evaluation-summary.js" in html
    assert "vendor/echarts/echarts.min.js" in html and "<script>" not in html
    assert 'id="qj-summary-xlsx"' in html and 'id="qj-summary-pdf"' in html
    assert "样本不足" in html  # the other department: one answer


def test_a_department_admin_sees_only_its_row_without_enterprises_or_downloads(last: County) -> None:
    html = _client(last, "dept_admin").get(URL).content.decode()
    assert "县应急管理局" in html and "县生态环境分局" not in html
    assert "沧县甲公司" not in html and "沧县乙公司" not in html
    assert "全县合计" not in html and "问题线索和意见建议明细表" not in html
    assert "qj-summary-xlsx" not in html


def test_a_department_below_the_sample_size_sees_no_clue_counts(last: County) -> None:
    html = _client(last, "dept_admin", other=True).get(URL).content.decode()
    assert "县生态环境分局" in html and "样本不足" in html and "县应急管理局" not in html


@pytest.mark.parametrize("role", ["random_coordinator", "inspector", "enterprise", "discipline", "auditor"])
def test_other_roles_are_refused(county: County, role: str) -> None:
    assert _client(county, role).get(URL).status_code == 403


def test_a_bad_quarter_is_a_400_with_a_chinese_message(county: County) -> None:
    response = _client(county, "office").get(URL, {"quarter": "2026Q5"})
    assert response.status_code == 400 and "无法识别的季度" in response.content.decode()
    download = _client(county, "office").get(reverse("evaluations:summary_xlsx"), {"quarter": "abc"})
    assert download.status_code == 400


def test_the_quarter_selector_shows_the_chosen_quarter(last: County) -> None:
    html = _client(last, "supervisor").get(URL, {"quarter": "2025Q1"}).content.decode()
    assert "2025年第1季度" in html and "本季度无数据" in html


def test_the_page_takes_a_bounded_number_of_queries(last: County, django_assert_max_num_queries: Any) -> None:
    client = _client(last, "office")
    with django_assert_max_num_queries(25):
        client.get(URL)
    for _ in range(5):
        f.respond(last, day=last_quarter().start + dt.timedelta(days=3), department=last.other_dept)
        f.complaint(last, day=last_quarter().start + dt.timedelta(days=4), department=last.other_dept)
    with django_assert_max_num_queries(25):
        client.get(URL)


def test_the_xlsx_download_is_the_packet_and_is_audited(last: County) -> None:
    response = _client(last, "supervisor").get(reverse("evaluations:summary_xlsx"))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["汇总", "满意度", "问题线索", "回访", "投诉与移送"]
    assert "填报人：supervisor" in [c.value for row in book["汇总"].iter_rows(max_row=3) for c in row]
    event = AuditEvent.objects.filter(action="evaluations.export_summary").get()
    assert event.after["format"] == "xlsx" and event.after["quarter"] == last_quarter().code


def test_the_pdf_download_is_a_pdf(last: County) -> None:
    response = _client(last, "office").get(reverse("evaluations:summary_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_department_admin_cannot_download_the_packet(last: County) -> None:
    for name in ("evaluations:summary_xlsx", "evaluations:summary_pdf"):
        assert _client(last, "dept_admin").get(reverse(name)).status_code == 403
    assert not AuditEvent.objects.filter(action="evaluations.export_summary").exists()


def test_the_office_home_shows_this_quarters_figures_so_far_linking_to_the_page(last: County) -> None:
    html = _client(last, "office").get("/").content.decode()
    current = Quarter.of(local_today())
    assert 'id="qj-home-evaluation"' in html
    assert f"{URL}?quarter={current.code}" in html
    assert f"{current.label}逾期未回访" in html
    assert f"{last_quarter().label}逾期未回访" not in html


def test_the_coordinator_home_has_no_summary_card(county: County) -> None:
    assert 'id="qj-home-evaluation"' not in _client(county, "random_coordinator").get("/").content.decode()


def test_the_nav_offers_the_summary_to_the_office_and_supervisor_only(county: County) -> None:
    from qijian.core.nav import menu_for

    for role, shown in (("office", True), ("supervisor", True), ("dept_admin", False), ("inspector", False)):
        assert (("评价汇总", URL) in menu_for(role)) is shown
