"""The random draw in a real browser: the coordinator prepares, publishes the seed hash, draws and
publishes; then anyone, without signing in, finds the seed and the drawn enterprises on /draws/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect

from qijian.core.testing import County, login_verified
from tests.sampling.factories import Setup, setup_draws

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(county: County, fast_password_hashing: None, monkeypatch: pytest.MonkeyPatch) -> Setup:
    return setup_draws(county, monkeypatch, enterprises=12, inspectors=6)


@pytest.fixture
def session_id(setup: Setup) -> str:
    client = Client()
    login_verified(client, setup.coordinator)
    return client.cookies["sessionid"].value


def test_coordinator_prepares_commits_draws_and_publishes_and_the_public_page_shows_it(
    live_server: Any, setup: Setup, session_id: str, browser: Browser
) -> None:
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": session_id, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{base}/sampling/")
    page.get_by_role("link", name="准备抽取").click()
    page.get_by_label("双随机计划条目").select_option(index=0)
    page.get_by_label("抽取户数").fill("4")
    page.get_by_role("button", name="准备抽取").click()
    expect(page.get_by_text("抽取池 14 户", exact=False).first).to_be_visible()
    draw_url = page.url

    page.get_by_role("button", name="公布种子哈希").click()
    seed_hash = page.locator("#qj-seed-hash").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", seed_hash), seed_hash
    expect(page.locator("#qj-seed")).to_have_text("抽取后公开")

    page.get_by_role("button", name="执行抽取").click()
    expect(page.locator("#qj-status")).to_contain_text("已抽取")
    expect(page.locator("#qj-results tbody tr")).to_have_count(4)
    seed = page.locator("#qj-seed").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", seed), seed
    page.get_by_role("button", name="公布抽取结果").click()
    expect(page.locator("#qj-status")).to_contain_text("已公布结果")
    context.close()

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/draws/")
    public.locator("#qj-public-draws a").first.click()
    expect(public.locator("#qj-public-seed")).to_have_text(seed)
    expect(public.locator("#qj-public-results tbody tr")).to_have_count(4)
    assert draw_url.rstrip("/").split("/")[-1] in public.url
