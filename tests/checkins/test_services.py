"""Check-in services: matching the filing, refusals, the unfiled entry (R01), check-out and attachments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qijian.audit.models import AuditEvent
from qijian.checkins import codes, services
from qijian.checkins.models import Attachment, CheckIn
from qijian.checkins.services import CheckInError
from qijian.core.calendar import local_today
from qijian.core.testing import County
from qijian.org.models import Department, Inspector
from qijian.oversight import rules
from qijian.oversight.models import Alert
from tests.checkins.visits import Visit, build_visit, key, make_filing, now

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture
def visit(county: County, tmp_path: Any, settings: Any) -> Visit:
    settings.MEDIA_ROOT = str(tmp_path)
    return build_visit(county)


def check_in(visit: Visit, **kw: Any) -> tuple[CheckIn, bool]:
    args: dict[str, Any] = {
        "actor": visit.inspector_user,
        "idempotency_key": key(),
        "enterprise": visit.county.enterprise,
        "companions": [visit.colleague.certificate_no],
    }
    return services.record_checkin(**(args | kw))


# --- R01 truth table ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("department_filings", "names_inspector", "fires"),
    [(0, False, True), (0, True, True), (1, False, True), (2, False, True), (1, True, False), (3, True, False)],
)
def test_r01_an_entry_without_a_filing_naming_the_inspector_is_unfiled(
    department_filings: int, names_inspector: bool, fires: bool
) -> None:
    """R01 未经报备入企检查的,由联席会议办公室……通报纪检监察机关追究相关责任。"""
    finding = rules.unfiled_entry(
        department_filings=department_filings, names_inspector=names_inspector, enterprise="甲", certificate_no="1"
    )
    if not fires:
        assert finding is None
        return
    assert finding is not None and finding.rule == "R01" and finding.severity == rules.CRITICAL
    assert finding.source == rules.RULES["R01"].source and "未报备入企" in finding.message


# --- check-in ------------------------------------------------------------------------------------------


def test_checkin_matches_the_covering_filing_and_is_audited(visit: Visit) -> None:
    before = now()
    row, created = check_in(visit, latitude="38.123456", longitude="116.654321", accuracy_m=12)
    assert created and row.filing == visit.filing and not row.unfiled
    assert before <= row.scanned_at <= now()
    assert list(row.companions.all()) == [visit.colleague]
    event = AuditEvent.objects.get(action="checkins.record_checkin", target_id=str(row.pk))
    assert event.after["filing"] == "BB1" and event.after["companions"][0].startswith(visit.colleague.certificate_no)
    assert not Alert.objects.exists()


def test_checkin_by_enterprise_code_token(visit: Visit) -> None:
    token = codes.issue_enterprise_code(visit.county.enterprise)
    row, created = check_in(visit, enterprise=token)
    assert created and row.enterprise == visit.county.enterprise and row.filing == visit.filing


def test_checkin_with_a_forged_code_is_refused_and_writes_nothing(visit: Visit) -> None:
    token = codes.issue_enterprise_code(visit.county.enterprise)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(CheckInError):
        check_in(visit, enterprise=forged)
    assert not CheckIn.objects.exists()


def test_checkin_without_filing_is_stored_and_raises_critical_alert(visit: Visit) -> None:
    row, created = check_in(visit, enterprise=visit.county.other_enterprise)
    assert created and row.unfiled and row.filing is None
    alert = Alert.objects.get(dedup_key=f"R01:checkin:{row.pk}")
    assert alert.rule == "R01" and alert.severity == "critical" and alert.referral_candidate
    assert alert.enterprise == visit.county.other_enterprise and alert.department == visit.county.dept


def test_filing_that_does_not_name_the_inspector_is_unfiled(visit: Visit) -> None:
    visit.filing.inspectors.set([visit.colleague])
    row, _ = check_in(visit, companions=[])
    assert row.unfiled
    assert "未列明该执法人员" in Alert.objects.get(rule="R01").message


def test_another_departments_filing_does_not_cover_the_inspector(visit: Visit) -> None:
    other = Department.objects.get(pk=visit.county.other_dept.pk)
    visit.filing.department = other
    visit.filing.save(update_fields=["department"])
    row, _ = check_in(visit)
    assert row.unfiled


def test_partner_departments_filing_covers_the_inspector(visit: Visit) -> None:
    visit.filing.department = visit.county.other_dept
    visit.filing.save(update_fields=["department"])
    visit.filing.partners.set([visit.county.dept])
    row, _ = check_in(visit)
    assert row.filing == visit.filing and not row.unfiled


def test_cancelled_or_closed_filing_does_not_match(visit: Visit) -> None:
    visit.filing.status = "cancelled"
    visit.filing.save(update_fields=["status"])
    row, _ = check_in(visit)
    assert row.unfiled


@pytest.mark.parametrize(
    ("start", "end"),
    [(-dt.timedelta(hours=9), -dt.timedelta(minutes=1)), (dt.timedelta(minutes=5), dt.timedelta(hours=9))],
)
def test_filing_whose_window_ended_or_has_not_begun_does_not_match(
    visit: Visit, start: dt.timedelta, end: dt.timedelta
) -> None:
    visit.filing.window_start, visit.filing.window_end = now() + start, now() + end
    visit.filing.save(update_fields=["window_start", "window_end"])
    row, _ = check_in(visit)
    assert row.unfiled and row.filing is None


def test_of_two_covering_filings_the_one_naming_the_inspector_matches(visit: Visit) -> None:
    visit.filing.inspectors.set([visit.colleague])  # starts earlier, but does not name the scanner
    naming = make_filing(
        visit.setup, start=now() - dt.timedelta(minutes=30), end=now() + dt.timedelta(hours=2), number="BB2"
    )
    row, _ = check_in(visit)
    assert row.filing == naming and not row.unfiled


def test_onsite_checkin_alone_is_refused_r03(visit: Visit) -> None:
    with pytest.raises(CheckInError, match="不少于2名"):
        check_in(visit, companions=[])
    assert not CheckIn.objects.exists()


def test_remote_inspection_needs_no_companion(visit: Visit) -> None:
    visit.filing.method = "remote"
    visit.filing.save(update_fields=["method"])
    row, _ = check_in(visit, companions=[])
    assert row.method == "remote" and row.filing == visit.filing


def test_expired_inspector_is_refused(visit: Visit) -> None:
    Inspector.objects.filter(pk=visit.county.inspector.pk).update(
        certificate_valid_until=local_today() - dt.timedelta(days=1)
    )
    with pytest.raises(CheckInError, match=r"已于.*过期"):
        check_in(visit)
    assert not CheckIn.objects.exists()


def test_suspended_companion_is_refused_by_name(visit: Visit) -> None:
    Inspector.objects.filter(pk=visit.colleague.pk).update(status="suspended")
    with pytest.raises(CheckInError, match=visit.colleague.name):
        check_in(visit)


def test_unknown_companion_is_refused(visit: Visit) -> None:
    with pytest.raises(CheckInError, match="99999"):
        check_in(visit, companions=["99999"])


def test_non_inspector_cannot_check_in(visit: Visit) -> None:
    with pytest.raises(CheckInError):
        check_in(visit, actor=visit.county.user("dept_admin"))


def test_offline_replay_matches_on_client_time_within_the_window(visit: Visit) -> None:
    past = make_filing(
        visit.setup, start=now() - dt.timedelta(hours=30), end=now() - dt.timedelta(hours=20), number="BB0"
    )
    row, _ = check_in(visit, source="offline", client_time=now() - dt.timedelta(hours=25))
    assert row.filing == past and row.client_time is not None and row.scanned_at > row.client_time


def test_future_client_time_is_ignored_for_matching(visit: Visit) -> None:
    row, _ = check_in(visit, source="offline", client_time=now() + dt.timedelta(days=3))
    assert row.filing == visit.filing


def test_online_checkin_ignores_client_time(visit: Visit) -> None:
    row, _ = check_in(visit, client_time=now() - dt.timedelta(days=5))
    assert row.filing == visit.filing


def test_replay_with_the_same_key_returns_the_original_unchanged(visit: Visit) -> None:
    first, created = check_in(visit, idempotency_key="k-1", latitude="38.1")
    again, created_again = check_in(
        visit, idempotency_key="k-1", enterprise=visit.county.other_enterprise, latitude="10"
    )
    assert created and not created_again and again.pk == first.pk
    assert again.enterprise == visit.county.enterprise and str(again.latitude) == "38.100000"
    assert CheckIn.objects.count() == 1 and AuditEvent.objects.filter(action="checkins.record_checkin").count() == 1


def test_key_of_another_account_is_refused(visit: Visit) -> None:
    check_in(visit, idempotency_key="k-2")
    with pytest.raises(CheckInError, match="其他账号"):
        check_in(visit, idempotency_key="k-2", actor=visit.colleague_user)


@pytest.mark.parametrize(("field", "value"), [("latitude", "91"), ("longitude", "abc"), ("accuracy_m", -1)])
def test_bad_location_is_refused(visit: Visit, field: str, value: Any) -> None:
    with pytest.raises(CheckInError):
        check_in(visit, **{field: value})


def test_empty_key_is_refused(visit: Visit) -> None:
    with pytest.raises(CheckInError, match="幂等键"):
        check_in(visit, idempotency_key=" ")


# --- check-out ----------------------------------------------------------------------------------------


def test_companion_checks_out_with_a_rectification_deadline(visit: Visit) -> None:
    row, _ = check_in(visit)
    deadline = local_today() + dt.timedelta(days=15)
    done = services.check_out(
        actor=visit.colleague_user, checkin=row, result="problems", rectification_deadline=deadline, note="消防通道堵塞"
    )
    assert done.status == "checked_out" and done.checked_out_at is not None and done.rectification_deadline == deadline
    assert AuditEvent.objects.filter(action="checkins.check_out", target_id=str(row.pk)).exists()


def test_problems_need_a_future_deadline(visit: Visit) -> None:
    row, _ = check_in(visit)
    with pytest.raises(CheckInError, match="整改期限"):
        services.check_out(actor=visit.inspector_user, checkin=row, result="problems")
    with pytest.raises(CheckInError, match="晚于今天"):
        services.check_out(
            actor=visit.inspector_user, checkin=row, result="problems", rectification_deadline=local_today()
        )


def test_other_inspector_cannot_check_out(visit: Visit) -> None:
    row, _ = check_in(visit)
    with pytest.raises(CheckInError):
        services.check_out(actor=visit.county.user("inspector", other=True), checkin=row, result="no_problem")


def test_check_out_twice_is_refused(visit: Visit) -> None:
    row, _ = check_in(visit)
    services.check_out(actor=visit.inspector_user, checkin=row, result="case_opened", method="onsite")
    with pytest.raises(CheckInError, match="已登记离开"):
        services.check_out(actor=visit.inspector_user, checkin=row, result="no_problem")


def test_unknown_result_is_refused(visit: Visit) -> None:
    row, _ = check_in(visit)
    with pytest.raises(CheckInError):
        services.check_out(actor=visit.inspector_user, checkin=row, result="fine")


# --- attachments ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.png", PNG, "image/png"),
        ("b.jpg", JPEG, "image/jpeg"),
        ("c.pdf", PDF, "application/pdf"),
        ("photo", JPEG, "image/jpeg"),
    ],
)
def test_attachment_type_is_sniffed_and_hashed(visit: Visit, name: str, data: bytes, kind: str) -> None:
    import hashlib

    row, _ = check_in(visit)
    attachment = services.add_attachment(actor=visit.inspector_user, checkin=row, upload=SimpleUploadedFile(name, data))
    assert attachment.content_type == kind and attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.file.read() == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.jpg", b"GIF89a" + b"0" * 20, "类型"),
        ("evil.png", b"MZ\x90\x00" + b"0" * 20, "类型"),
        ("a.pdf", PNG, "扩展名"),
        ("empty.png", b"", "空文件"),
    ],
)
def test_bad_attachment_is_refused(visit: Visit, name: str, data: bytes, message: str) -> None:
    row, _ = check_in(visit)
    with pytest.raises(CheckInError, match=message):
        services.add_attachment(actor=visit.inspector_user, checkin=row, upload=SimpleUploadedFile(name, data))
    assert not Attachment.objects.exists()


def test_attachment_over_the_policy_size_is_refused(visit: Visit, monkeypatch: pytest.MonkeyPatch) -> None:
    from qijian.checkins.services import attachments as module

    real = module.figure
    monkeypatch.setattr(module, "figure", lambda p: 1 if p == "attachments.max_mb" else real(p))
    row, _ = check_in(visit)
    big = SimpleUploadedFile("big.png", PNG + b"0" * (1024 * 1024))
    with pytest.raises(CheckInError, match="不能超过1MB"):
        services.add_attachment(actor=visit.inspector_user, checkin=row, upload=big)


def test_attachment_policy_figures_exist() -> None:
    from qijian.policy.loader import figure

    assert figure("attachments.max_mb") == 10
    assert set(figure("attachments.types")) == {"image/jpeg", "image/png", "application/pdf"}
