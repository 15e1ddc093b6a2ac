"""Grading in a real browser: the office produces the draft, overrides one grade with a reason and
approves the list with a joint-meeting decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect

from qijian.core import calendar
from qijian.core.testing import County, build_county, login_verified
from qijian.grading.models import IndicatorValue
from qijian.meetings import services as meetings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = dt.date(2026, 12, 10)


@pytest.fixture
def county(fast_password_hashing: None, monkeypatch: pytest.MonkeyPatch) -> County:
    monkeypatch.setattr(calendar, "local_today", lambda: TODAY)
    c = build_county()
    IndicatorValue.objects.create(enterprise=c.other_enterprise, year=2026, credit_rating="D", tax_rating="B")
    meeting = meetings.record_meeting(actor=c.user("office"), title="12月联席会议", held_on=TODAY, kind="quarterly")
    meetings.record_decision(actor=c.user("office"), meeting=meeting, subject="grading", text="审定2027年度清单")
    return c


@pytest.fixture
def office_session(county: County) -> str:
    client = Client()
    login_verified(client, county.user("office"))
    return client.cookies["sessionid"].value


def test_office_produces_overrides_and_approves_the_grade_list(
    live_server: Any, county: County, office_session: str, browser: Browser
) -> None:
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": office_session, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{base}/grading/")
    page.get_by_role("button", name="编制(或重新计算)清单草案").click()
    expect(page.get_by_role("heading", name="2027年度企业分级分类监管清单")).to_be_visible()
    expect(page.get_by_text("公共信用综合评价等级 -12.25分,封顶C类")).to_be_visible()

    page.get_by_role("link", name=county.enterprise.name).click()
    page.get_by_label("调整为").select_option("A")
    page.get_by_label("调整理由").fill("获评省级诚信示范企业")
    page.get_by_role("button", name="调整").click()
    expect(page.get_by_text("已人工调整该企业的等级。")).to_be_visible()

    page.get_by_role("link", name="← 2027年度企业分级分类监管清单").click()
    page.get_by_label("会议决定").select_option(index=1)
    page.get_by_role("button", name="依据会议决定审定").click()
    expect(page.get_by_text("清单已审定。")).to_be_visible()
    expect(page.get_by_text("已审定(待生效)")).to_be_visible()
    context.close()
