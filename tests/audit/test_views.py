"""The auditor's pages: only the auditor gets in; search, keyset pages, detail, verification, checkpoints."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qijian.accounts.choices import Role
from qijian.audit.models import AuditEvent
from qijian.audit.services import record_event, write_checkpoint
from qijian.core.testing import County, login_verified
from tests.audit.conftest import guard_lifted

pytestmark = pytest.mark.django_db

PAGES = ["audit:list", "audit:verify", "audit:checkpoints", "audit:export_checkpoints"]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture
def auditor(client: Client, county: County) -> Client:
    login_verified(client, county.user("auditor"))
    return client


def test_every_role_but_the_auditor_is_refused_every_audit_page(client: Client, county: County) -> None:
    event = record_event(actor=None, action="test.one")
    urls = [reverse(name) for name in PAGES] + [reverse("audit:detail", args=[event.seq])]
    for role in [r.value for r in Role if r != Role.AUDITOR]:
        login_verified(client, county.user(role))
        assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 403), role
        assert client.post(reverse("audit:verify")).status_code == 403, role


def test_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_auditor_sees_the_audit_menu_and_the_sysadmin_does_not(client: Client, county: County) -> None:
    login_verified(client, county.user("auditor"))
    assert reverse("audit:list") in client.get(reverse("core:home")).content.decode()
    login_verified(client, county.user("sysadmin"))
    assert reverse("audit:list") not in client.get(reverse("core:home")).content.decode()


def test_list_searches_by_action_actor_and_target(auditor: Client, county: County) -> None:
    record_event(actor=county.user("sysadmin"), action="org.create_department", target=county.dept)
    record_event(actor=county.user("dept_admin"), action="enterprises.register", target=county.enterprise)
    page = auditor.get(reverse("audit:list"), {"action": "enterprises.", "actor": "dept_admin"})
    events = list(page.context["events"])
    assert [e.action for e in events] == ["enterprises.register"]
    by_target = auditor.get(reverse("audit:list"), {"target": county.dept.name}).context["events"]
    assert [e.target_id for e in by_target] == [str(county.dept.pk)]


def test_list_filters_by_date_range_and_rejects_a_reversed_range(auditor: Client) -> None:
    record_event(actor=None, action="test.today")
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    assert auditor.get(reverse("audit:list"), {"until": yesterday.isoformat()}).context["events"] == []
    inside = auditor.get(reverse("audit:list"), {"since": today.isoformat(), "action": "test."}).context["events"]
    assert [e.action for e in inside] == ["test.today"]
    reversed_range = auditor.get(reverse("audit:list"), {"since": today.isoformat(), "until": yesterday.isoformat()})
    assert "起始日期不能晚于截止日期" in reversed_range.content.decode()


def _queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_by_seq_with_a_constant_number_of_queries(auditor: Client) -> None:
    record_event(actor=None, action="test.page")
    small = _queries(auditor, reverse("audit:list"))
    for n in range(120):
        record_event(actor=None, action="test.page", after={"n": n})
    assert _queries(auditor, reverse("audit:list")) == small
    first = auditor.get(reverse("audit:list"), {"action": "test.page"})
    seqs = [e.seq for e in first.context["events"]]
    assert len(seqs) == 50 and seqs == sorted(seqs, reverse=True)
    second = auditor.get(reverse("audit:list") + first.context["older_url"])
    assert [e.seq for e in second.context["events"]] == [s - 50 for s in seqs]
    back = auditor.get(reverse("audit:list") + second.context["newer_url"])
    assert [e.seq for e in back.context["events"]] == seqs


def test_detail_shows_before_after_and_a_recomputed_hash(auditor: Client, county: County) -> None:
    event = record_event(actor=None, action="test.one", before={"名称": "甲"}, after={"名称": "乙"})
    body = auditor.get(reverse("audit:detail", args=[event.seq])).content.decode()
    assert event.hash in body and event.prev_hash in body and "重算一致" in body and "乙" in body
    with guard_lifted(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'test.forged' WHERE id = %s", [event.pk])
    assert "重算不一致" in auditor.get(reverse("audit:detail", args=[event.seq])).content.decode()


def test_detail_of_an_unknown_seq_is_404(auditor: Client) -> None:
    assert auditor.get(reverse("audit:detail", args=[999999])).status_code == 404


@override_settings(TASKS=IMMEDIATE)
def test_verify_page_runs_a_verification_and_shows_its_result(
    auditor: Client, django_capture_on_commit_callbacks: object
) -> None:
    record_event(actor=None, action="test.one")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = auditor.post(reverse("audit:verify"))
    assert response.status_code == 302
    body = auditor.get(reverse("audit:verify")).content.decode()
    assert "审计链完整" in body
    assert AuditEvent.objects.filter(action="audit.verify_requested").exists()


def test_checkpoint_page_lists_and_exports_checkpoints(auditor: Client) -> None:
    record_event(actor=None, action="test.one")
    checkpoint = write_checkpoint(actor=None)
    assert checkpoint is not None
    assert checkpoint.head_hash in auditor.get(reverse("audit:checkpoints")).content.decode()
    response = auditor.get(reverse("audit:export_checkpoints"))
    assert "attachment" in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert [json.loads(line)["signature"] for line in lines] == [checkpoint.signature]
