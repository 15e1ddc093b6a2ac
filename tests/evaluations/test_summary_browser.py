"""The summary page in a real browser: the ECharts charts draw from the JSON island under the CSP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect, sync_playwright

from qijian.core.testing import County, login_verified
from qijian.evaluations.queries.summary import last_quarter
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.evaluations import summary_factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def office_session(county: County) -> str:
    day = last_quarter().start + dt.timedelta(days=15)
    for satisfaction in ("非常满意", "满意", "基本满意"):
        f.respond(county, day=day, satisfaction=satisfaction)
    f.follow_up(county, due_on=day, department=county.other_dept)  # overdue
    client = Client()
    login_verified(client, county.user("office"))
    return client.cookies["sessionid"].value


def test_the_office_sees_both_charts_drawn_without_csp_errors(
    live_server: Any, office_session: str, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": office_session, "url": live_server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/evaluations/summary/")
    expect(page.locator("#qj-summary-satisfaction")).to_have_text("4.00")
    expect(page.locator("#qj-summary-satisfaction-chart canvas")).to_have_count(1)
    expect(page.locator("#qj-summary-overdue-chart canvas")).to_have_count(1)
    expect(page.locator("#qj-summary-xlsx")).to_be_visible()
    assert not errors
