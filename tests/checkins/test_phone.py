"""The inspector's phone pages: who may open them, the companions offered (the inspector's own department
only), the local QR library and script (no inline script), and the result page of a matched or an
unfiled check-in with its check-out form."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.checkins.models import CheckIn
from qijian.core.testing import County, login_verified
from qijian.inspections.models import Filing
from qijian.org.models import Inspector
from qijian.policy.loader import figure

SCAN_QUERIES = 5  # session, user, OTP device (middleware), the inspector with its department, the companions


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _client(county: County, role: str = "inspector", *, other: bool = False) -> Client:
    client = Client()
    login_verified(client, county.user(role, other=other))
    return client


def _colleague(county: County, name: str, number: str, **extra: Any) -> Inspector:
    today = dt.date.today()
    fields = {
        "certificate_valid_from": today - dt.timedelta(days=30),
        "certificate_valid_until": today + dt.timedelta(days=300),
    }
    return Inspector.objects.create(name=name, certificate_no=number, department=county.dept, **(fields | extra))


def _checkin(county: County, *, filing: Filing | None = None, **extra: Any) -> CheckIn:
    return CheckIn.objects.create(
        idempotency_key=f"phone-test-{CheckIn.objects.count()}",
        enterprise=county.enterprise,
        filing=filing,
        unfiled=filing is None,
        inspector=county.inspector,
        recorded_by=county.user("inspector"),
        scanned_at=dt.datetime.now(dt.UTC),
        **extra,
    )


def _filing(county: County) -> Filing:
    version = CatalogVersion.objects.create(
        department=county.dept, number=1, status="approved", effective_from=dt.date(2025, 1, 1)
    )
    item = CatalogItem.objects.create(
        version=version, code="YJ-001", name="安全生产检查", law="《安全生产法》", mode="targeted"
    )
    now = dt.datetime.now(dt.UTC)
    filing = Filing.objects.create(
        number="BB20990101-0001",
        kind="urgent",
        urgent_reason="complaint",
        department=county.dept,
        item=item,
        filed_by=county.user("dept_admin"),
        filed_at=now,
        window_start=now - dt.timedelta(hours=1),
        window_end=now + dt.timedelta(hours=8),
    )
    filing.enterprises.set([county.enterprise])
    filing.inspectors.set([county.inspector])
    return filing


def test_scan_page_offers_only_active_colleagues_of_the_inspectors_own_department(county: County) -> None:
    colleague = _colleague(county, "赵六", "13092100009")
    suspended = _colleague(county, "钱七", "13092100010", status="suspended")
    page = _client(county).get(reverse("checkins:phone_scan")).content.decode()
    offered = re.findall(r'name="companions" value="([^"]+)"', page)
    assert offered == [colleague.certificate_no]
    assert "赵六(执法证号 13092100009)" in page
    assert county.other_inspector.certificate_no not in page  # another department's inspector
    assert suspended.certificate_no not in page
    assert f'value="{county.inspector.certificate_no}"' not in page  # not oneself


def test_scan_page_loads_the_local_qr_library_and_its_script_without_inline_code(county: County) -> None:
    page = _client(county).get(reverse("checkins:phone_scan")).content.decode()
    assert "/static/vendor/jsqr/jsQR.js" in page and "/static/qijian/checkin.js" in page
    assert 'data-api="/api/v1/checkins/"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline script breaks the CSP"
    assert " style=" not in page
    assert finders.find("vendor/jsqr/jsQR.js"), "jsQR must be served from node_modules"
    assert finders.find("qijian/checkin.js")


def test_scan_page_keeps_a_per_user_queue_and_the_typed_code_fallback(county: County) -> None:
    page = _client(county).get(reverse("checkins:phone_scan")).content.decode()
    assert f'data-queue="qj-checkin:{county.user("inspector").pk}"' in page
    assert 'id="qj-code"' in page and "待上传" in page and "立即上传" in page and "获取位置" in page


def test_scan_page_runs_a_fixed_number_of_queries(county: County, django_assert_max_num_queries: Any) -> None:
    for n in range(5):
        _colleague(county, f"同事{n}", f"1309210010{n}")
    client = _client(county)
    with django_assert_max_num_queries(SCAN_QUERIES):
        assert client.get(reverse("checkins:phone_scan")).status_code == 200


@pytest.mark.parametrize("role", ["dept_admin", "office", "enterprise", "sysadmin"])
def test_scan_page_is_for_inspectors_only(county: County, role: str) -> None:
    assert _client(county, role).get(reverse("checkins:phone_scan")).status_code == 403


def test_scan_page_sends_the_anonymous_to_sign_in(county: County) -> None:
    response = Client().get(reverse("checkins:phone_scan"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_inspector_account_without_a_profile_cannot_check_in(county: County) -> None:
    user = county.user("inspector")
    user.inspector = None
    user.save(update_fields=["inspector"])
    page = _client(county).get(reverse("checkins:phone_scan")).content.decode()
    assert "未关联执法人员档案" in page
    assert re.search(r'id="qj-submit"[^>]*disabled', page)
    assert 'name="companions"' not in page


def test_result_page_names_the_matched_filing_and_offers_the_check_out_form(county: County) -> None:
    checkin = _checkin(county, filing=_filing(county))
    page = _client(county).get(reverse("checkins:phone_result", args=[checkin.pk])).content.decode()
    assert "已匹配报备 BB20990101-0001" in page and "未报备入企" not in page
    assert f'data-api="/api/v1/checkins/{checkin.pk}/checkout/"' in page
    for value in ("no_problem", "problems", "case_opened", "onsite", "remote"):
        assert f'value="{value}"' in page
    assert 'name="rectification_deadline"' in page
    assert (
        f'data-api="/api/v1/checkins/{checkin.pk}/attachments/"' in page and f"{figure('attachments.max_mb')}MB" in page
    )


def test_result_page_of_an_unfiled_entry_shows_the_r01_warning(county: County) -> None:
    checkin = _checkin(county)
    page = _client(county).get(reverse("checkins:phone_result", args=[checkin.pk])).content.decode()
    assert "未报备入企,已通知联席会议办公室" in page


def test_result_page_after_check_out_shows_the_result_and_no_form(county: County) -> None:
    checkin = _checkin(
        county,
        status="checked_out",
        checked_out_at=dt.datetime.now(dt.UTC),
        result="problems",
        rectification_deadline=dt.date(2099, 1, 31),
        result_note="消防通道堵塞",
    )
    page = _client(county).get(reverse("checkins:phone_result", args=[checkin.pk])).content.decode()
    assert "发现问题,限期整改" in page and "2099-01-31" in page and "消防通道堵塞" in page
    assert "qj-checkout-form" not in page


def test_result_page_of_another_inspectors_check_in_is_not_found(county: County) -> None:
    checkin = _checkin(county)
    response = _client(county, other=True).get(reverse("checkins:phone_result", args=[checkin.pk]))
    assert response.status_code == 404
