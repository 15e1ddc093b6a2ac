"""Staff pages of check-ins: the scoped list (no N+1), the detail, attachments and the enterprise trace
with its export carrying the audit hashes."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from qijian.audit.models import AuditEvent
from qijian.checkins import services
from qijian.checkins.models import CheckIn
from qijian.core.testing import County, login_verified
from tests.checkins.visits import Visit, build_visit, key

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def visit(county: County, tmp_path: Any, settings: Any) -> Visit:
    settings.MEDIA_ROOT = str(tmp_path)
    return build_visit(county)


def signed_in(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def check_in(visit: Visit, enterprise: Any = None) -> CheckIn:
    row, _ = services.record_checkin(
        actor=visit.inspector_user,
        idempotency_key=key(),
        enterprise=enterprise or visit.county.enterprise,
        companions=[visit.colleague],
    )
    return row


def test_list_shows_visible_checkins_in_a_fixed_number_of_queries(
    visit: Visit, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        check_in(visit)
    check_in(visit, visit.county.other_enterprise)
    client = signed_in(visit.county.user("office"))
    client.get(reverse("checkins:list"))  # warm the session
    for _ in range(20):
        check_in(visit)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("checkins:list"))
    assert response.status_code == 200 and "未报备入企" in response.content.decode()


def test_list_is_scoped_to_the_department(visit: Visit) -> None:
    check_in(visit)
    mine = signed_in(visit.county.user("dept_admin")).get(reverse("checkins:list")).content.decode()
    theirs = signed_in(visit.county.user("dept_admin", other=True)).get(reverse("checkins:list")).content.decode()
    assert "沧县甲公司" in mine and "沧县甲公司" not in theirs


def test_list_filters_unfiled(visit: Visit) -> None:
    check_in(visit)
    check_in(visit, visit.county.other_enterprise)
    page = signed_in(visit.county.user("office")).get(reverse("checkins:list") + "?unfiled=1").content.decode()
    assert "沧县乙公司" in page and "沧县甲公司" not in page


def test_detail_shows_filing_result_attachment_and_audit_hash(visit: Visit) -> None:
    row = check_in(visit)
    services.add_attachment(actor=visit.inspector_user, checkin=row, upload=SimpleUploadedFile("照片.png", PNG))
    services.check_out(actor=visit.inspector_user, checkin=row, result="no_problem")
    page = signed_in(visit.county.user("office")).get(reverse("checkins:detail", args=[row.pk])).content.decode()
    event = AuditEvent.objects.get(action="checkins.check_out")
    assert "BB1" in page and "未发现问题" in page and "照片.png" in page and event.hash in page


def test_companion_sees_and_downloads_the_attachment(visit: Visit) -> None:
    row = check_in(visit)
    attachment = services.add_attachment(
        actor=visit.inspector_user, checkin=row, upload=SimpleUploadedFile("p.png", PNG)
    )
    response = signed_in(visit.colleague_user).get(reverse("checkins:attachment", args=[row.pk, attachment.pk]))
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200 and content == PNG
    assert response["Content-Type"] == "image/png"


def test_other_department_gets_404_on_the_detail(visit: Visit) -> None:
    row = check_in(visit)
    response = signed_in(visit.county.user("dept_admin", other=True)).get(reverse("checkins:detail", args=[row.pk]))
    assert response.status_code == 404


def test_trace_lists_filing_checkin_and_checkout_in_order_with_hashes(visit: Visit) -> None:
    from qijian.audit.services import record_event

    record_event(actor=visit.county.user("dept_admin"), action="inspections.file_urgent", target=visit.filing)
    row = check_in(visit)
    services.check_out(actor=visit.inspector_user, checkin=row, result="case_opened")
    url = reverse("checkins:enterprise_trace", args=[visit.county.enterprise.pk])
    page = signed_in(visit.county.user("office")).get(url).content.decode()
    labels = ["<td>紧急检查报备</td>", "<td>扫码入企</td>", "<td>登记检查结果并离开</td>"]
    assert all(label in page for label in labels)
    assert [page.index(label) for label in labels] == sorted(page.index(label) for label in labels)


def test_trace_export_carries_every_event_hash(visit: Visit) -> None:
    row = check_in(visit)
    services.check_out(actor=visit.inspector_user, checkin=row, result="no_problem")
    url = reverse("checkins:enterprise_trace", args=[visit.county.enterprise.pk]) + "?format=xlsx"
    response = signed_in(visit.county.user("office")).get(url)
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    hashes = {r[8] for r in rows[1:]}
    expected = set(
        AuditEvent.objects.filter(target_id=str(row.pk), target_type="checkins.checkin").values_list("hash", flat=True)
    )
    assert rows[0][8] == "审计哈希(SM3)" and expected and expected <= hashes


def test_trace_is_narrowed_for_another_department(visit: Visit) -> None:
    check_in(visit)
    url = reverse("checkins:enterprise_trace", args=[visit.county.enterprise.pk])
    page = signed_in(visit.county.user("dept_admin", other=True)).get(url).content.decode()
    assert "<td>扫码入企</td>" not in page and "暂无您可查看的检查记录" in page


def test_enterprise_sees_its_own_trace_and_not_another(visit: Visit) -> None:
    check_in(visit)
    client = signed_in(visit.county.user("enterprise"))
    own = client.get(reverse("checkins:own_trace"), follow=True).content.decode()
    assert "<td>扫码入企</td>" in own
    other = client.get(reverse("checkins:enterprise_trace", args=[visit.county.other_enterprise.pk]))
    assert other.status_code == 404
