"""The trace of one inspection (a filing and its amendment chain): order, derived code rows, alerts,
exports with hashes, the audit-chain check (and its failure after tampering), access and query count."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from qijian.audit.models import AuditEvent
from qijian.audit.services import record_event
from qijian.checkins import queries, services
from qijian.checkins.codes import filing_code_expiry
from qijian.checkins.models import CheckIn
from qijian.core.calendar import local_zone
from qijian.core.testing import County, login_verified
from qijian.inspections.models import Filing
from qijian.inspections.services import amend_filing
from qijian.oversight.models import Alert
from qijian.oversight.rules import Finding
from qijian.oversight.services import raise_alert
from tests.audit.conftest import guard_lifted
from tests.checkins.visits import Visit, build_visit, key, make_filing, now

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
NUMBER = "BB20991231-0007"


@dataclass
class Story:
    visit: Visit
    original: Filing
    amended: Filing
    checkin: CheckIn
    alert: Alert

    @property
    def county(self) -> County:
        return self.visit.county


def _file(visit: Visit) -> Filing:
    start, end = now() - dt.timedelta(hours=1), now() + dt.timedelta(hours=8)
    filing = make_filing(visit.setup, start=start, end=end, number=NUMBER)
    record_event(actor=visit.setup.admin, action="inspections.file_urgent", target=filing, after={"number": NUMBER})
    return filing


def _visit_of(visit: Visit, filing: Filing) -> CheckIn:
    row, _ = services.record_checkin(
        actor=visit.inspector_user,
        idempotency_key=key(),
        enterprise=visit.county.enterprise,
        companions=[visit.colleague],
    )
    assert row.filing_id == filing.pk
    upload = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    services.add_attachment(actor=visit.inspector_user, checkin=row, upload=upload)
    return services.check_out(actor=visit.inspector_user, checkin=row, result="no_problem")


def _alert(filing: Filing) -> Alert:
    finding = Finding(rule="R06", severity="warning", message="60日内重复检查同一企业")
    alert = raise_alert(finding=finding, key=f"R06:test:{filing.pk}", department=filing.department, filing=filing)
    assert alert is not None
    return alert


@pytest.fixture
def story(county: County, tmp_path: Any, settings: Any) -> Story:
    settings.MEDIA_ROOT = str(tmp_path)
    visit = build_visit(county)
    Filing.objects.filter(pk=visit.filing.pk).update(status="cancelled")  # keep the helper's filing out of the way
    original = _file(visit)
    amended = amend_filing(
        actor=visit.setup.admin, filing=original, reason="执法人员调整", window_end=original.window_end
    )
    checkin = _visit_of(visit, amended)
    return Story(visit, original, amended, checkin, _alert(amended))


def signed_in(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def trace_url(filing: Filing, fmt: str = "") -> str:
    return reverse("checkins:filing_trace", args=[filing.pk]) + (f"?format={fmt}" if fmt else "")


# --- the query ---------------------------------------------------------------------------------------


def test_the_trace_is_the_audit_chain_order_of_filing_amendment_checkin_and_alert(story: Story) -> None:
    rows = queries.filing_timeline(story.county.user("office"), story.original)
    audited = [r for r in rows if not r.derived]
    assert [r.seq for r in audited] == sorted(r.seq for r in audited if r.seq is not None)
    actions = [r.action for r in audited]
    expected = [
        "inspections.file_urgent",
        "inspections.amend_filing",
        "checkins.record_checkin",
        "checkins.add_attachment",
        "checkins.check_out",
        "oversight.raise_alert",
    ]
    positions = [actions.index(a) for a in expected]
    assert positions == sorted(positions)


def test_the_amendment_chain_is_included_from_either_end(story: Story) -> None:
    office = story.county.user("office")
    from_original = queries.filing_timeline(office, story.original)
    from_amended = queries.filing_timeline(office, story.amended)
    assert from_original == from_amended
    filing_ids = {r.target_id for r in from_original if r.target_type == "inspections.filing"}
    assert filing_ids == {str(story.original.pk), str(story.amended.pk)}


def test_each_filing_has_a_derived_code_row_after_its_filing_event(story: Story) -> None:
    rows = queries.filing_timeline(story.county.user("office"), story.original)
    derived = [(n, r) for n, r in enumerate(rows) if r.derived]
    assert [r.target_id for _, r in derived] == [str(story.original.pk), str(story.amended.pk)]
    for n, row in derived:
        assert row.seq is None and row.hash == "" and row.kind == queries.CODE_KIND
        previous = rows[n - 1]
        assert previous.target_id == row.target_id and previous.target_type == "inspections.filing"
    original_code, amended_code = (r for _, r in derived)
    assert "已失效" in original_code.detail["code_state"] and amended_code.detail["code_state"] == "有效"
    expires = filing_code_expiry(story.amended).astimezone(local_zone())
    assert amended_code.detail["valid_until"] == expires.strftime("%Y-%m-%d %H:%M")


def test_alerts_about_the_filing_are_in_the_trace_but_not_for_the_enterprise(story: Story) -> None:
    alert_rows = lambda user: [  # noqa: E731
        r for r in queries.filing_timeline(user, story.original) if r.target_type == "oversight.alert"
    ]
    assert [r.target_id for r in alert_rows(story.county.user("office"))] == [str(story.alert.pk)]
    assert alert_rows(story.county.user("dept_admin"))
    assert alert_rows(story.county.user("enterprise")) == []


def test_an_alert_about_one_of_its_checkins_is_included(story: Story) -> None:
    finding = Finding(rule="R01", severity="critical", message="测试:扫码记录的预警")
    alert = raise_alert(finding=finding, key=f"R01:checkin:{story.checkin.pk}", department=story.county.dept)
    rows = queries.filing_timeline(story.county.user("office"), story.original)
    assert str(alert.pk) in {r.target_id for r in rows if r.target_type == "oversight.alert"}  # type: ignore[union-attr]


def test_a_follow_up_source_can_be_registered_by_target_type(story: Story) -> None:
    from qijian.checkins.queries import sources

    event = record_event(actor=None, action="followups.visit", target=story.county.enterprise)
    source = queries.TraceSource(
        "enterprises.enterprise",
        "回访",
        lambda user, chain, found: {str(story.county.enterprise.pk): "回访对象"},
        lambda user, enterprise: {},
    )
    queries.register_trace_source(source)
    try:
        rows = queries.filing_timeline(story.county.user("office"), story.original)
    finally:
        sources._SOURCES.pop("enterprises.enterprise")
    assert any(r.seq == event.seq and r.kind == "回访" for r in rows)


# --- the page and its exports ------------------------------------------------------------------------


def test_the_page_shows_the_story_and_the_passing_chain_check(story: Story) -> None:
    page = signed_in(story.county.user("office")).get(trace_url(story.original)).content.decode()
    assert "<td>扫码入企</td>" in page and "派生" in page and story.amended.number in page
    assert "审计链校验通过" in page


def test_the_xlsx_export_carries_seq_hashes_and_the_verification_line(story: Story) -> None:
    response = signed_in(story.county.user("office")).get(trace_url(story.original, "xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][7:10] == ("审计序号", "审计哈希(SM3)", "前一哈希")
    event = AuditEvent.objects.filter(action="checkins.check_out", target_id=str(story.checkin.pk)).get()
    assert (event.seq, event.hash, event.prev_hash) in {(r[7], r[8], r[9]) for r in rows[1:]}
    assert str(rows[-1][0]).startswith("审计链校验通过")


def test_the_csv_export_marks_derived_rows_and_ends_with_the_verification_line(story: Story) -> None:
    response = signed_in(story.county.user("office")).get(trace_url(story.original, "csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text)))
    assert any(r[2] == queries.CODE_KIND and r[7] == "派生,非审计记录" for r in rows[1:] if len(r) > 7)
    assert rows[-1][0].startswith("审计链校验通过")


def _raw_events() -> QuerySet[AuditEvent]:
    """A plain queryset: the model's manager refuses updates, and guard_lifted drops the triggers."""
    return QuerySet(model=AuditEvent)


def test_the_check_fails_after_an_audit_row_is_tampered_with(story: Story) -> None:
    office = story.county.user("office")
    event = AuditEvent.objects.filter(action="checkins.check_out", target_id=str(story.checkin.pk)).get()
    assert queries.verify_trace(queries.filing_timeline(office, story.original)).ok
    with guard_lifted():
        _raw_events().filter(pk=event.pk).update(after={"result": "case_opened"})
    proof = queries.verify_trace(queries.filing_timeline(office, story.original))
    assert proof.ok is False and proof.broken is not None and proof.broken.seq == event.seq
    page = signed_in(office).get(trace_url(story.original)).content.decode()
    assert "审计链校验未通过" in page and f"序号 {event.seq}" in page
    response = signed_in(office).get(trace_url(story.original, "csv"))
    assert "审计链校验未通过" in b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]


def test_a_relinked_forgery_is_caught_at_the_next_link(story: Story) -> None:
    from qijian.audit.chain import CHAINED_FIELDS, row_hash, utc_text

    event = AuditEvent.objects.filter(action="checkins.record_checkin", target_id=str(story.checkin.pk)).get()
    row = {name: getattr(event, name) for name in ("prev_hash", *CHAINED_FIELDS) if name != "actor_id"}
    row |= {"actor_id": event.actor_id, "occurred_at": utc_text(event.occurred_at), "after": {"forged": True}}
    with guard_lifted():
        _raw_events().filter(pk=event.pk).update(after={"forged": True}, hash=row_hash(row))
    proof = queries.verify_trace(queries.filing_timeline(story.county.user("office"), story.original))
    assert proof.ok is False and proof.broken is not None and proof.broken.seq == event.seq + 1


def test_the_enterprise_trace_carries_the_verification_line_too(story: Story) -> None:
    client = signed_in(story.county.user("office"))
    url = reverse("checkins:enterprise_trace", args=[story.county.enterprise.pk])
    assert "审计链校验通过" in client.get(url).content.decode()
    text = b"".join(client.get(url + "?format=csv").streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert text.rstrip().splitlines()[-1].strip('"').startswith("审计链校验通过")


# --- access and cost ---------------------------------------------------------------------------------


def test_another_department_gets_404(story: Story) -> None:
    response = signed_in(story.county.user("dept_admin", other=True)).get(trace_url(story.original))
    assert response.status_code == 404


def test_the_enterprise_sees_its_own_inspection_without_alerts(story: Story) -> None:
    client = signed_in(story.county.user("enterprise"))
    page = client.get(trace_url(story.amended)).content.decode()
    assert "<td>扫码入企</td>" in page and "<td>监督预警</td>" not in page and "审计链校验通过" in page
    elsewhere = make_filing(story.visit.setup, start=now(), end=now() + dt.timedelta(hours=2), number="BB20991231-0009")
    elsewhere.enterprises.set([story.county.other_enterprise])
    assert client.get(trace_url(elsewhere)).status_code == 404


def test_the_links_lead_to_the_traces(story: Story) -> None:
    client = signed_in(story.county.user("office"))
    filing_page = client.get(reverse("inspections:detail", args=[story.amended.pk])).content.decode()
    assert trace_url(story.amended) in filing_page
    checkin_page = client.get(reverse("checkins:detail", args=[story.checkin.pk])).content.decode()
    assert trace_url(story.amended) in checkin_page
    enterprise_page = client.get(reverse("enterprises:detail", args=[story.county.enterprise.pk])).content.decode()
    assert reverse("checkins:enterprise_trace", args=[story.county.enterprise.pk]) in enterprise_page


def test_the_page_costs_a_fixed_number_of_queries(story: Story, django_assert_max_num_queries: Any) -> None:
    client = signed_in(story.county.user("office"))
    client.get(trace_url(story.amended))  # warm the session
    for _ in range(5):
        _visit_of(story.visit, story.amended)
    with django_assert_max_num_queries(16):
        response = client.get(trace_url(story.amended))
    assert response.status_code == 200 and response.content.decode().count("<td>扫码入企</td>") == 6
