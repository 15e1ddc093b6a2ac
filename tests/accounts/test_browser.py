"""The sign-in and two-factor pages in a real Chromium at phone size: layout, CSP, and the whole path."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, expect, sync_playwright

from qijian.core.testing import TEST_PASSWORD, County

pytestmark = [pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _phone_page(browser: Browser, problems: list[str]) -> Page:
    page = browser.new_page(viewport=PHONE, locale="zh-CN")  # type: ignore[arg-type]
    page.set_default_timeout(15_000)
    page.on("console", lambda msg: problems.append(msg.text) if _is_problem(msg.type, msg.text) else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status == 404 and _ours(r.url) else None)
    return page


def _is_problem(kind: str, text: str) -> bool:
    """Console errors (CSP violations above all); failed loads are judged by their response instead."""
    return kind == "error" and not text.startswith("Failed to load resource")


def _ours(url: str) -> bool:
    return not url.endswith("/favicon.ico")  # browsers ask for it unprompted; the site declares none


def _fits_phone(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_auditor_enrols_totp_on_a_phone_and_reaches_home(live_server: Any, county: County, chromium: Browser) -> None:
    username = county.user("auditor").username  # read before the browser's event loop starts
    problems: list[str] = []
    page = _phone_page(chromium, problems)
    page.goto(f"{live_server.url}/accounts/login/")
    assert _fits_phone(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="绑定动态口令")).to_be_visible()
    qr = page.get_by_alt_text("动态口令绑定二维码")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0 and _fits_phone(page)
    secret = re.sub(r"\s", "", page.locator("code.qj-secret").inner_text())
    code = TOTP(base64.b32decode(secret)).token()
    page.get_by_label("验证码").fill(f"{code:06d}")
    page.get_by_role("button", name="确认绑定").click()
    expect(page.get_by_role("heading", name="工作台 · 安全审计员")).to_be_visible()
    assert problems == []  # no CSP violation, no failed asset


def test_lockout_message_is_readable_on_a_phone(live_server: Any, county: County, chromium: Browser) -> None:
    from django.conf import settings

    username, limit = county.user("inspector").username, settings.AXES_FAILURE_LIMIT
    problems: list[str] = []
    page = _phone_page(chromium, problems)
    for _ in range(limit):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill("wrong-password-123")
        page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("账号已临时锁定")).to_be_visible()
    assert _fits_phone(page)
    assert problems == []
