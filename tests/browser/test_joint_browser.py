"""The joint-visit workflow in a real browser: the office runs the planner for next quarter, each
department admin accepts the proposed visit, and the visit becomes one joint filing led by one
department with the other as partner."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from qijian.core.testing import County, login_verified
from tests.joint.factories import QUARTER, JointSetup, joint_setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def js(county: County, fast_password_hashing: None, monkeypatch: pytest.MonkeyPatch) -> JointSetup:
    return joint_setup(county, monkeypatch)


@pytest.fixture
def sessions(js: JointSetup) -> dict[str, str]:
    users = {"office": js.office, "dept": js.admin(js.county.dept), "other": js.admin(js.county.other_dept)}
    out = {}
    for name, user in users.items():
        client = Client()
        login_verified(client, user)
        out[name] = client.cookies["sessionid"].value
    return out


def _page(browser: Browser, base: str, session_id: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": session_id, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_office_runs_the_planner_each_department_accepts_and_a_joint_filing_exists(
    live_server: Any, js: JointSetup, sessions: dict[str, str], browser: Browser
) -> None:
    base = live_server.url
    office = _page(browser, base, sessions["office"])
    office.goto(f"{base}/joint/")
    office.get_by_label("规划季度").fill(QUARTER.code)
    office.get_by_role("button", name="运行联合检查规划").click()
    expect(office.locator("#qj-saved")).to_have_text("1")
    expect(office.locator("#qj-proposals tbody tr")).to_have_count(1)
    detail_url = office.locator("#qj-proposals tbody tr a").first.get_attribute("href")

    for name in ("dept", "other"):
        admin = _page(browser, base, sessions[name])
        admin.goto(f"{base}{detail_url}")
        admin.get_by_role("button", name="同意联合检查").click()
        expect(admin.get_by_text("已提交本部门意见")).to_be_visible()
        admin.context.close()

    office.goto(f"{base}{detail_url}")
    expect(office.locator("#qj-status")).to_contain_text("已联合报备")
    office.locator("#qj-filing a").click()
    expect(office.get_by_text("联合检查(", exact=False)).to_be_visible()
    expect(office.get_by_text(js.county.other_dept.name, exact=False).first).to_be_visible()
