"""Issue 7 end to end in a real browser: an on-site inspection is checked out → its follow-up appears for the
office → the enterprise answers on a phone-sized page through the link (no login) → the inspected
department's admin sees only aggregates → the office sees the answer.

Two other enterprises of the same department answered earlier (through the service), so the department's
aggregates reach ``evaluation.min_group`` (3) once the browser's answer is in. The database is prepared
before the browser starts and read after it closes (Django refuses ORM calls inside Playwright's loop).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from qijian.checkins.models import CheckIn
from qijian.checkins.services.checkout import check_out
from qijian.core.testing import County, build_county, login_verified
from qijian.evaluations.choices import ResponseChannel
from qijian.evaluations.models import FollowUp, Response
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.evaluations import answer_factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
SUGGESTION = "希望检查前电话告知需要准备的资料"
EXPLANATION = "同一周内两个部门分别检查了消防通道"


class World:
    def __init__(self) -> None:
        self.county: County = build_county()
        f.default_questionnaire()  # a transactional test starts from a flushed database
        f.answered(self.county, of=f.enterprise(self.county, "沧县先答一公司"))
        f.answered(self.county, of=f.enterprise(self.county, "沧县先答二公司"), satisfaction=["满意"])
        self.follow_up = _finished_inspection(self.county)
        self.sessions = {role: _session(self.county, role) for role in ("office", "dept_admin")}


def _finished_inspection(county: County) -> FollowUp:
    """An on-site check-in of the first enterprise, checked out by its inspector through the service: the
    check-out signal creates the follow-up."""
    checkin = CheckIn.objects.create(
        idempotency_key="browser-evaluation",
        enterprise=county.enterprise,
        inspector=county.inspector,
        recorded_by=county.user("inspector"),
        scanned_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2),
        unfiled=True,
    )
    check_out(actor=county.user("inspector"), checkin=checkin, result="no_problem", note="未发现问题")
    return FollowUp.objects.get(checkin=checkin)


def _session(county: County, role: str) -> str:
    client = Client()
    login_verified(client, county.user(role))
    return str(client.cookies["sessionid"].value)


@pytest.fixture
def world(fast_password_hashing: None, settings: Any, live_server: Any) -> World:
    settings.QJ_PUBLIC_BASE_URL = live_server.url  # the link and the QR point at the test server
    return World()


def _context(browser: Browser, base: str, *, session: str | None, phone: bool) -> tuple[BrowserContext, Page]:
    options: dict[str, Any] = {"viewport": PHONE if phone else DESK, "locale": "zh-CN"}
    if phone:
        options |= {"is_mobile": True, "has_touch": True}
    context = browser.new_context(**options)
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _office_finds_the_follow_up_and_its_link(page: Page, base: str, world: World) -> str:
    page.goto(f"{base}{reverse('evaluations:followup_list')}")
    page.get_by_role("link", name=world.county.enterprise.name).click()
    expect(page.locator("#qj-answer-panel")).to_contain_text("企业评价问卷")
    expect(page.locator("#qj-answer-panel img")).to_be_visible()  # the QR
    return str(page.locator("#qj-answer-url").get_attribute("href"))


def _choose(page: Page, number: int, option: str) -> None:
    page.locator(f"#qj-q{number}").get_by_label(option, exact=False).first.check()


def _enterprise_answers_on_the_phone(page: Page, link: str, world: World) -> None:
    page.goto(link)
    expect(page.locator("#qj-department")).to_have_text(world.county.dept.name)
    expect(page.get_by_text(world.county.enterprise.name)).to_have_count(0)
    for number, option in ((1, "是"), (2, "是"), (3, "是"), (4, "一致"), (5, "影响较小"), (6, "否"), (7, "是")):
        _choose(page, number, option)
    _choose(page, 8, "是")  # repeated inspections — without the explanation first
    _choose(page, 9, "基本满意")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("#qj-q8")).to_contain_text("选择“是”时请说明具体情况")
    expect(page.locator("#qj-q5 input[value='影响较小']")).to_be_checked()  # what was chosen is kept
    page.locator("#qj-q8-text").fill(EXPLANATION)
    page.locator("#qj-q10 textarea").fill(SUGGESTION)
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("#qj-done")).to_have_text("✓ 感谢您的评价")
    page.goto(link)  # the link again: no second answer, no edit
    expect(page.locator("#qj-done")).to_have_text("此次检查的评价已经提交")
    expect(page.get_by_role("button", name="提交评价")).to_have_count(0)


def _department_sees_only_aggregates(page: Page, base: str, world: World) -> None:
    page.goto(f"{base}{reverse('evaluations:answer_aggregates')}")
    expect(page.locator("#qj-aggregate-total")).to_contain_text("本季度答卷 3 份")
    expect(page.locator(".qj-aggregate-question").filter(has_text="总体满意度")).to_contain_text("平均得分")
    body = page.locator("body")
    for secret in (world.county.enterprise.name, SUGGESTION, EXPLANATION, "沧县先答一公司"):
        expect(body).not_to_contain_text(secret)
    for name in ("evaluations:response_list", "evaluations:followup_list"):
        response = page.goto(f"{base}{reverse(name)}")
        assert response is not None and response.status == 403
    detail = page.goto(f"{base}{reverse('evaluations:followup_detail', args=[world.follow_up.pk])}")
    assert detail is not None and detail.status in (403, 404)


def _office_sees_the_answer(page: Page, base: str, world: World) -> None:
    page.goto(f"{base}{reverse('evaluations:followup_detail', args=[world.follow_up.pk])}")
    panel = page.locator("#qj-answer-panel")
    expect(panel).to_contain_text(SUGGESTION)
    expect(panel).to_contain_text(EXPLANATION)
    expect(panel).to_contain_text("基本满意")
    page.goto(f"{base}{reverse('evaluations:response_list')}")
    expect(page.locator("table")).to_contain_text(world.county.enterprise.name)


def test_inspection_to_follow_up_to_phone_answer_to_anonymous_aggregates_to_the_office(
    live_server: Any, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            _, office = _context(browser, base, session=world.sessions["office"], phone=False)
            link = _office_finds_the_follow_up_and_its_link(office, base, world)
            _, phone = _context(browser, base, session=None, phone=True)
            _enterprise_answers_on_the_phone(phone, link, world)
            f.answers_in(monkeypatch)  # a department reads a quarter once its answers are all in
            _, department = _context(browser, base, session=world.sessions["dept_admin"], phone=False)
            _department_sees_only_aggregates(department, base, world)
            _office_sees_the_answer(office, base, world)
        finally:
            browser.close()
    response = Response.objects.get(follow_up=world.follow_up)
    assert response.channel == ResponseChannel.LINK and response.recorded_by is None
    assert response.answers.get(question__code="repeated").text == EXPLANATION
