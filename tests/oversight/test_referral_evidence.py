"""The evidence packet PDF: its text carries the key facts (read back with pypdf), the stored SHA-256
matches the stored file, and its audit proof names the chain check, the checkpoint and each hash."""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

import pytest
from django.db.models import QuerySet
from pypdf import PdfReader

from qijian.audit.models import AuditCheckpoint, AuditEvent
from qijian.checkins.models import CheckIn
from qijian.core.testing import County
from qijian.oversight import evidence
from qijian.oversight.models import Referral
from tests.audit.conftest import guard_lifted
from tests.oversight.test_referral_support import REASON, answer, approved, unfiled_visit


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _text(data: bytes) -> str:
    """The PDF's text with all whitespace removed (long hashes wrap across lines)."""
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


def _stored(referral: Referral) -> bytes:
    with referral.packet.open("rb") as handle:
        return handle.read()


@pytest.fixture
def packet(county: County) -> tuple[Referral, CheckIn, str]:
    checkin, alert = unfiled_visit(county)
    answer(checkin, {"id_shown": "否", "improper_requests": "是"})
    referral = approved(county, alert)
    return referral, checkin, _text(_stored(referral))


def test_the_stored_sha256_is_the_digest_of_the_stored_file(packet: tuple[Referral, CheckIn, str]) -> None:
    referral, _, _ = packet
    data = _stored(referral)
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == referral.packet_sha256


def test_the_cover_names_number_origin_department_enterprise_reason_and_both_approvers(
    packet: tuple[Referral, CheckIn, str], county: County
) -> None:
    referral, _, text = packet
    for fact in (
        referral.number,
        "R01未报备入企",
        county.dept.name,
        county.enterprise.name,
        county.enterprise.uscc,
        re.sub(r"\s+", "", REASON),
        county.user("supervisor").username,
        county.user("office").username,
    ):
        assert fact in text, fact


def test_the_scan_prints_the_inspector_certificate_unfiled_flag_result_and_attachment_hash(
    packet: tuple[Referral, CheckIn, str], county: County
) -> None:
    _, checkin, text = packet
    attachment = checkin.attachments.get()
    for fact in ("李四", county.inspector.certificate_no, "【未报备入企】", "发现问题,限期整改", "消防通道堵塞"):
        assert fact in text, fact
    assert attachment.name in text and attachment.sha256 in text


def test_the_follow_up_answers_of_the_scan_are_printed(packet: tuple[Referral, CheckIn, str]) -> None:
    _, _, text = packet
    assert "问题id_shown" in text and "问题improper_requests" in text


def test_the_audit_proof_passes_and_prints_the_checkpoint_and_every_included_hash(
    packet: tuple[Referral, CheckIn, str],
) -> None:
    referral, checkin, text = packet
    checkpoint = AuditCheckpoint.objects.order_by("-up_to_seq").first()
    assert checkpoint is not None
    assert "审计链校验通过" in text
    assert checkpoint.head_hash in text and checkpoint.signature in text
    scanned = AuditEvent.objects.get(action="checkins.record_checkin", target_id=str(checkin.pk))
    proposed = AuditEvent.objects.get(action="oversight.propose_referral", target_id=str(referral.pk))
    assert scanned.hash in text and proposed.hash in text


def test_a_tampered_event_makes_the_next_packet_say_the_check_failed(county: County) -> None:
    checkin, alert = unfiled_visit(county)
    event = AuditEvent.objects.get(action="checkins.record_checkin", target_id=str(checkin.pk))
    with guard_lifted():
        QuerySet(model=AuditEvent).filter(pk=event.pk).update(after={"note": "改写"})
    referral = approved(county, alert)
    assert "审计链校验未通过" in _text(_stored(referral))


def test_a_filed_inspection_prints_its_filing_with_inspectors_and_window(county: County) -> None:
    from qijian.checkins import services as checkin_services
    from qijian.oversight.rules import Finding
    from qijian.oversight.services import raise_alert
    from tests.checkins.visits import build_visit, key

    visit = build_visit(county)
    row, _ = checkin_services.record_checkin(
        actor=visit.inspector_user, idempotency_key=key(), enterprise=county.enterprise, companions=[visit.colleague]
    )
    finding = Finding(rule="R02", severity="critical", message="事后报备")
    alert = raise_alert(finding=finding, key="R02:test", department=county.dept, filing=visit.filing)
    assert alert is not None
    text = _text(_stored(approved(county, alert)))
    assert visit.filing.number in text and visit.colleague.certificate_no in text
    assert visit.setup.item.name in text and "对应报备" in text
    gathered = evidence.gather(Referral.objects.get())
    assert [c.pk for c in gathered.checkins] == [row.pk]


def test_a_complaint_packet_prints_the_complaint_and_the_scan_it_names(county: County) -> None:
    from qijian.evaluations.models import Complaint
    from qijian.oversight import referrals

    checkin, _ = unfiled_visit(county)
    complaint = Complaint.objects.create(
        number="TS-E-1",
        source="hotline",
        received_at="2026-03-02T09:00:00+08:00",
        enterprise=county.enterprise,
        department=county.dept,
        checkin=checkin,
        summary="执法人员暗示可以从轻处理",
        accept_due="2026-03-05",
        reply_due="2026-03-20",
    )
    referral = referrals.propose_referral(actor=county.user("office"), complaint=complaint, reason="涉嫌违规承诺从轻")
    referrals.approve_referral(actor=county.user("office"), referral=referral)
    referral = referrals.approve_referral(actor=county.user("supervisor"), referral=referral)
    text = _text(_stored(referral))
    assert "TS-E-1" in text and "执法人员暗示可以从轻处理" in text and "12345热线" in text
    assert checkin.attachments.get().sha256 in text
