"""The main path of issue 3 in a real browser: plan → review → approval → filing → the office sees it and its mail.

A department admin drafts and submits a quarterly plan, 司法局 reviews its targeted entry, the
office approves it with a meeting decision, the department files an inspection against the entry,
and the office finds the filing in its list while the filing mail reaches a real SMTP server
(aiosmtpd) through the task backend.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core import calendar
from qijian.core.testing import County, build_county, login_verified
from qijian.meetings import services as meetings
from qijian.org.models import Inspector
from tests.smtp import Inbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 12, 21)  # inside the Q1 2027 submission window (the last two weeks of Q4 2026)
INSPECTION_DAY = dt.date(2027, 1, 12)


@pytest.fixture
def county(fast_password_hashing: None, monkeypatch: pytest.MonkeyPatch) -> County:
    monkeypatch.setattr(calendar, "local_today", lambda: TODAY)
    c = build_county()
    version = CatalogVersion.objects.create(
        department=c.dept, number=1, status="approved", effective_from=dt.date(2025, 1, 1)
    )
    CatalogItem.objects.create(
        version=version, code="YJ-001", name="安全生产检查", law="《安全生产法》", article="第六十五条", mode="targeted"
    )
    Inspector.objects.create(
        name="赵六",
        certificate_no="13092100009",
        department=c.dept,
        certificate_valid_from=dt.date(2025, 1, 1),
        certificate_valid_until=dt.date(2028, 12, 31),
    )
    meeting = meetings.record_meeting(
        actor=c.user("office"), title="2026年第四季度联席会议", held_on=TODAY, kind="quarterly"
    )
    meetings.record_decision(actor=c.user("office"), meeting=meeting, subject="plan", text="审定2027年第一季度检查计划")
    return c


@pytest.fixture
def session_ids(county: County) -> dict[str, str]:
    """Verified sessions of the three actors, made before the browser starts (no ORM inside its event loop).

    The sign-in form, with its second factor, has its own browser test (test_login_browser.py)."""
    ids = {}
    for role in ("dept_admin", "supervisor", "office"):
        client = Client()
        login_verified(client, county.user(role))
        ids[role] = client.cookies["sessionid"].value
    return ids


def signed_in(browser: Browser, base: str, session_id: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": session_id, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_plan_is_drafted_approved_and_filed_and_the_office_gets_the_filing_and_its_mail(
    live_server: Any, county: County, smtp: Inbox, session_ids: dict[str, str], browser: Browser
) -> None:
    base = live_server.url
    sessions = {role: signed_in(browser, base, sid) for role, sid in session_ids.items()}
    dept, supervisor, office = (sessions[r][1] for r in ("dept_admin", "supervisor", "office"))

    # 1. The department admin drafts the Q1 2027 plan with one targeted entry and submits it.
    dept.goto(f"{base}/plans/new/")
    dept.get_by_label("年度").select_option("2027")
    dept.get_by_label("季度").select_option("1")
    dept.get_by_role("button", name="创建").click()
    expect(dept.get_by_role("heading", name="2027年第1季度检查计划")).to_be_visible()
    plan_url = dept.url
    dept.get_by_role("link", name="添加条目").click()
    dept.get_by_label("检查事项").select_option(label="YJ-001 安全生产检查")
    dept.get_by_label("计划检查时间(起)").fill("2027-01-05")
    dept.get_by_label("计划检查时间(止)").fill("2027-03-20")
    dept.get_by_label("预计检查户次").fill("3")
    dept.get_by_label("检查对象(统一社会信用代码)").fill(county.enterprise.uscc)
    dept.get_by_role("button", name="保存").click()
    expect(dept.get_by_text("安全生产检查").first).to_be_visible()
    dept.get_by_role("button", name="报送计划").click()
    expect(dept.get_by_text("已报送待审核").first).to_be_visible()

    # 2. 司法局 passes the targeted part; 3. the office approves with the meeting's decision.
    supervisor.goto(plan_url)
    supervisor.get_by_label("审核通过").check()
    supervisor.get_by_role("button", name="提交审核意见").click()
    expect(supervisor.get_by_text("审核通过待审定").first).to_be_visible()
    office.goto(plan_url)
    office.get_by_label("会议决定").select_option(index=1)
    office.get_by_role("button", name="审定").click()
    expect(office.get_by_text("已审定").first).to_be_visible()

    # 4. The department files two certified inspectors against the approved entry.
    dept.goto(f"{base}/filings/new/planned/?on={INSPECTION_DAY.isoformat()}")
    dept.get_by_label("计划条目").select_option(index=1)
    dept.get_by_label("检查对象企业").fill(county.enterprise.uscc)
    dept.get_by_label("李四(执法证号 13092100001", exact=False).check()
    dept.get_by_label("赵六(执法证号 13092100009", exact=False).check()
    dept.get_by_label("检查开始时间").fill(f"{INSPECTION_DAY.isoformat()}T09:00")
    dept.get_by_label("检查结束时间").fill(f"{INSPECTION_DAY.isoformat()}T17:00")
    dept.get_by_role("button", name="提交").click()
    heading = dept.locator("h1").inner_text()
    found = re.search(r"BB\d{8}-\d{4}", heading)
    assert found, heading
    number = found.group(0)

    # 5. The office sees the filing in its list, and the filing mail has reached the office mailbox.
    office.goto(f"{base}/filings/")
    row = office.locator("tbody tr", has_text=number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(county.dept.name)
    mails = [m for m in smtp.to("cxfgj2024@163.com") if number in m.subject + m.body]
    assert mails, f"no mail about {number} among {[m.subject for m in smtp.messages]}"
    for context, _page in sessions.values():
        context.close()
