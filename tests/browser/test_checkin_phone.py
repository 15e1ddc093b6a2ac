"""The inspector's phone page in a real browser (390×844): check in online, lose the signal, queue,
come back online and see the queue flush, with the server holding exactly one row per idempotency key.

There is no camera in headless Chromium: the first check-in feeds the enterprise's QR image to the page
(the photo input, decoded by jsQR), the offline ones type the code (the fallback field). The browser is
started and closed inside each test, so that the database is read after it (Django refuses ORM calls
inside Playwright's event loop).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import qrcode
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright
from qrcode.image.pil import PilImage

from qijian.checkins import codes
from qijian.checkins.models import CheckIn
from qijian.core.testing import County, build_county, login_verified
from qijian.inspections.models import Filing
from qijian.oversight.models import Alert
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.inspections.conftest import Setup, build_setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
QUEUE = "qj-checkin:{pk}"


class World:
    def __init__(self, tmp_path: Path) -> None:
        self.county: County = build_county()
        self.setup: Setup = build_setup(self.county)
        now = dt.datetime.now(dt.UTC)
        self.filing = _filing(self.setup, now - dt.timedelta(hours=1), now + dt.timedelta(hours=8))
        self.token = codes.issue_enterprise_code(self.county.enterprise)
        self.url = codes.public_url(self.token)
        self.other_token = codes.issue_enterprise_code(self.county.other_enterprise)
        self.qr = tmp_path / "enterprise-code.png"
        self.qr.write_bytes(_png(self.url))
        client = Client()
        login_verified(client, self.county.user("inspector"))
        self.session_id = client.cookies["sessionid"].value
        self.queue = QUEUE.format(pk=self.county.user("inspector").pk)


def _png(text: str) -> bytes:
    """A QR image of ``text``, as a phone's photo of the enterprise's poster would be."""
    out = io.BytesIO()
    qrcode.make(text, image_factory=PilImage).save(out)
    return out.getvalue()


def _filing(setup: Setup, start: dt.datetime, end: dt.datetime) -> Filing:
    """An ACTIVE on-site urgent filing naming the first enterprise and both inspectors (written directly)."""
    county = setup.county
    filing = Filing.objects.create(
        number="BB20990101-0007",
        department=county.dept,
        item=setup.item,
        kind="urgent",
        urgent_reason="complaint",
        filed_by=county.user("dept_admin"),
        filed_at=start,
        window_start=start,
        window_end=end,
    )
    filing.enterprises.set([county.enterprise])
    filing.inspectors.set(setup.pair)
    return filing


@pytest.fixture
def world(fast_password_hashing: None, tmp_path: Path) -> World:
    return World(tmp_path)


def _phone(context_of: Any, base: str, session_id: str) -> tuple[BrowserContext, Page]:
    context = context_of.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": session_id, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _storage(page: Page, queue: str, name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = page.evaluate(f"JSON.parse(localStorage.getItem('{queue}:{name}') || '[]')")
    return items


def _browse(base: str, world: World, run: Any) -> Any:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context, page = _phone(browser, base, world.session_id)
            return run(context, page)
        finally:
            browser.close()


def _check_in_online_by_photo(base: str, world: World, page: Page) -> None:
    page.goto(f"{base}/checkins/phone/")
    page.locator("#qj-photo").set_input_files(str(world.qr))
    expect(page.locator("#qj-code")).to_have_value(world.url)
    page.get_by_label(f"{world.setup.colleague.name}(执法证号 {world.setup.colleague.certificate_no})").check()
    page.get_by_role("button", name="确认入企").click()
    expect(page.get_by_text(f"已匹配报备 {world.filing.number}")).to_be_visible()
    page.locator("#qj-attach-file").set_input_files(str(world.qr))  # a photo taken at the site
    page.get_by_role("button", name="上传附件").click()
    expect(page.locator("#qj-attachments")).to_contain_text("enterprise-code.png")
    page.get_by_label("发现问题,限期整改").check()
    page.get_by_label("整改期限").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    page.get_by_label("结果说明").fill("消防通道堵塞,责令30日内整改")
    page.get_by_role("button", name="确认检查结果并离开").click()
    expect(page.locator("#qj-status")).to_have_text("已离开")


def _queue_offline(base: str, world: World, context: BrowserContext, page: Page) -> None:
    page.goto(f"{base}/checkins/phone/")
    context.set_offline(True)
    for code in (world.token, "QJ1.E.伪造的码"):
        page.locator("#qj-code").fill(code)
        page.get_by_label(f"{world.setup.colleague.name}(执法证号", exact=False).check()
        page.get_by_role("button", name="确认入企").click()
        expect(page.locator("#qj-message")).to_contain_text("已保存在本机")
    expect(page.get_by_role("heading", name="待上传 2 条")).to_be_visible()
    page.get_by_role("button", name="立即上传").click()
    expect(page.locator("#qj-message")).to_contain_text("当前无网络")
    expect(page.locator("#qj-pending-count")).to_have_text("2")


def test_inspector_checks_in_online_then_offline_and_the_queue_flushes_once_per_key(
    live_server: Any, world: World
) -> None:
    base = live_server.url

    def run(context: BrowserContext, page: Page) -> dict[str, Any]:
        _check_in_online_by_photo(base, world, page)
        _queue_offline(base, world, context, page)
        queued = _storage(page, world.queue, "pending")
        context.set_offline(False)  # the `online` event flushes the queue
        expect(page.locator("#qj-pending-count")).to_have_text("0")
        expect(page.locator("#qj-sent-list a")).to_have_count(1)
        expect(page.locator("#qj-failed-list")).to_contain_text("码格式不正确")
        # A lost answer: the same item is sent again with its key, and the server keeps one row.
        sent = _storage(page, world.queue, "sent")
        page.evaluate(
            "([queue, item]) => localStorage.setItem(queue + ':pending', JSON.stringify([item]))",
            [world.queue, {**queued[0], "queued_at": queued[0]["body"]["client_time"]}],
        )
        page.get_by_role("button", name="立即上传").click()
        expect(page.locator("#qj-pending-count")).to_have_text("0")
        expect(page.locator("#qj-sent-list a")).to_have_count(2)
        page.locator("#qj-sent-list a").first.click()
        expect(page.get_by_text(f"已匹配报备 {world.filing.number}")).to_be_visible()
        expect(page.get_by_text("离线补传")).to_be_visible()
        return {"queued": queued, "sent": sent}

    seen = _browse(base, world, run)
    rows = list(CheckIn.objects.order_by("id"))
    assert len(rows) == 2, [r.idempotency_key for r in rows]  # one online, one offline; the forged code none
    online, offline = rows
    assert online.source == "online" and online.status == "checked_out" and online.result == "problems"
    assert list(online.attachments.values_list("content_type", flat=True)) == ["image/png"]
    keys = [item["key"] for item in seen["queued"]]
    assert offline.idempotency_key == keys[0] and offline.source == "offline"
    assert offline.filing_id == world.filing.pk and offline.client_time is not None
    assert list(offline.companions.values_list("pk", flat=True)) == [world.setup.colleague.pk]
    assert [item["id"] for item in seen["sent"]] == [offline.pk]
    assert not CheckIn.objects.filter(idempotency_key=keys[1]).exists()


def test_unfiled_entry_is_stored_and_warns_that_the_office_was_told(live_server: Any, world: World) -> None:
    base = live_server.url

    def run(context: BrowserContext, page: Page) -> None:
        page.goto(f"{base}/checkins/phone/")
        page.locator("#qj-code").fill(codes.public_url(world.other_token))
        page.get_by_role("button", name="确认入企").click()
        expect(page.get_by_text("未报备入企,已通知联席会议办公室")).to_be_visible()

    _browse(base, world, run)
    row = CheckIn.objects.get()
    assert row.unfiled and row.enterprise_id == world.county.other_enterprise.pk
    assert Alert.objects.filter(enterprise=world.county.other_enterprise).exists()
