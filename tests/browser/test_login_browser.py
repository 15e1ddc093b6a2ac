"""Signing in, in a real browser, as the demo county's accounts (desktop and phone sizes)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, expect

from qijian.core import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_county(fast_password_hashing: None) -> None:
    demo.build_demo(enterprises=60)


def open_page(browser: Browser, viewport: dict[str, int]) -> Page:
    page = browser.new_page(viewport=viewport, locale="zh-CN")  # type: ignore[arg-type]
    page.set_default_timeout(15_000)
    return page


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def screenshot(page: Page, name: str) -> None:
    """Development aid: QJ_SCREENSHOTS=/some/dir keeps a picture of the page (never committed)."""
    folder = os.environ.get("QJ_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_department_admin_signs_in_sees_the_enterprise_list_and_signs_out(
    live_server: Any, demo_county: None, browser: Browser, viewport: dict[str, int]
) -> None:
    page = open_page(browser, viewport)
    sign_in(page, live_server.url, "dept_scjg")
    expect(page.get_by_role("heading", name="工作台 · 部门管理员")).to_be_visible()
    expect(page.get_by_text("赵志强 · 部门管理员")).to_be_visible()
    page.get_by_role("link", name="企业", exact=True).click()
    expect(page.get_by_role("heading", name="企业", exact=True)).to_be_visible()
    expect(page.locator("tbody tr")).not_to_have_count(0)
    screenshot(page, f"enterprises-{viewport['width']}")
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_label("用户名")).to_be_visible()  # the session is gone: back to the login form


def test_office_user_passes_the_totp_step_and_reaches_the_home_page(
    live_server: Any, demo_county: None, browser: Browser
) -> None:
    page = open_page(browser, DESKTOP)
    sign_in(page, live_server.url, "office")
    expect(page.get_by_role("heading", name="双因素认证")).to_be_visible()
    page.get_by_label("动态验证码").fill(f"{TOTP(bytes.fromhex(demo.totp_key_hex('office'))).token():06d}")
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", name="工作台 · 联席会议办公室")).to_be_visible()
    screenshot(page, "office-home")
