"""The page a scanned code opens without signing in (/c/<token>), and the staff's QR downloads."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qijian.checkins import codes, qr
from qijian.core.testing import County, login_verified
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from tests.checkins.visits import make_filing, now
from tests.inspections.conftest import Setup, build_setup


@pytest.fixture
def setup(county: County) -> Setup:
    return build_setup(county)


@pytest.fixture
def filing(setup: Setup) -> Filing:
    return make_filing(setup, start=now() - dt.timedelta(hours=1), end=now() + dt.timedelta(hours=8), number="BB1")


def page_of(token: str) -> Any:
    return Client().get(reverse("public_code:show", kwargs={"token": token}))


def text(response: Any) -> str:
    return response.content.decode()


def assert_csp_safe(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script"
    assert " style=" not in html and "<style" not in html, "inline style"


# --- inspection code -----------------------------------------------------------------------------------


def test_an_active_filings_code_tells_the_enterprise_who_comes_on_what_basis(setup: Setup, filing: Filing) -> None:
    response = page_of(codes.issue_filing_code(filing))
    html = text(response)
    assert response.status_code == 200
    assert "真实有效的检查码" in html
    for shown in (filing.department.name, filing.number, setup.item.name, "《危险化学品安全管理条例》第六条"):
        assert shown in html
    for inspector in setup.pair:  # 亮证执法: names and certificate numbers are public
        assert inspector.name in html and inspector.certificate_no in html
    assert setup.county.enterprise.name in html
    assert "申请其回避" in html and "cxfgj2024@163.com" in html and "12345" in html
    assert setup.county.enterprise.uscc not in html  # the enterprise's name only


def test_the_public_page_needs_no_sign_in_and_is_never_cached(filing: Filing) -> None:
    response = page_of(codes.issue_filing_code(filing))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert_csp_safe(text(response))


def test_the_public_page_reads_the_filing_in_a_fixed_number_of_queries(
    setup: Setup, filing: Filing, django_assert_max_num_queries: Any
) -> None:
    filing.enterprises.add(setup.county.other_enterprise)
    token = codes.issue_filing_code(filing)
    with django_assert_max_num_queries(4):
        assert page_of(token).status_code == 200


def test_before_and_after_the_window_the_page_says_so(setup: Setup) -> None:
    early = make_filing(setup, start=now() + dt.timedelta(days=1), end=now() + dt.timedelta(days=2), number="BB2")
    late = make_filing(setup, start=now() - dt.timedelta(hours=9), end=now() - dt.timedelta(hours=1), number="BB3")
    assert "检查尚未开始" in text(page_of(codes.issue_filing_code(early)))
    assert "检查时间已经结束" in text(page_of(codes.issue_filing_code(late)))


def test_a_cancelled_filings_code_says_it_is_cancelled_and_names_no_inspector(setup: Setup, filing: Filing) -> None:
    Filing.objects.filter(pk=filing.pk).update(status=FilingStatus.CANCELLED, cancelled_at=now())
    html = text(page_of(codes.issue_filing_code(filing)))
    assert "此检查已撤销" in html and "不得凭此码入企检查" in html
    assert setup.colleague.certificate_no not in html


def test_an_amended_filings_code_points_to_the_current_versions_code(setup: Setup, filing: Filing) -> None:
    second = make_filing(setup, start=now(), end=now() + dt.timedelta(hours=9), number="BB1-1", supersedes=filing)
    third = make_filing(setup, start=now(), end=now() + dt.timedelta(hours=10), number="BB1-2", supersedes=second)
    Filing.objects.filter(pk__in=[filing.pk, second.pk]).update(status=FilingStatus.AMENDED)
    html = text(page_of(codes.issue_filing_code(filing)))
    assert "已被变更取代" in html and setup.colleague.certificate_no not in html
    link = reverse("public_code:show", kwargs={"token": codes.issue_filing_code(third)})
    assert f'href="{link}"' in html
    current = text(Client().get(link))
    assert "真实有效的检查码" in current and "BB1-2" in current


# --- enterprise code -----------------------------------------------------------------------------------------


def test_an_enterprise_code_shows_whose_genuine_code_it_is(county: County) -> None:
    response = page_of(codes.issue_enterprise_code(county.enterprise))
    html = text(response)
    assert response.status_code == 200
    assert "真实有效的企检企业码" in html and county.enterprise.name in html
    assert county.enterprise.uscc not in html and county.enterprise.legal_representative not in html
    assert_csp_safe(html)


# --- refusals ------------------------------------------------------------------------------------------------


def assert_refused(response: Any, status: int, *, hidden: tuple[str, ...]) -> str:
    html = text(response)
    assert response.status_code == status
    assert "此码无法核验" in html
    for secret in hidden:
        assert secret not in html
    return html


def test_an_altered_code_is_refused_with_400_and_no_data(setup: Setup, filing: Filing) -> None:
    token = codes.issue_filing_code(filing)
    altered = token.replace(f".F.{filing.pk}.", f".F.{filing.pk + 1}.")
    html = assert_refused(page_of(altered), 400, hidden=(filing.department.name, setup.colleague.name))
    assert "篡改或伪造" in html


def test_a_forged_code_is_refused_with_400(settings: Any, filing: Filing) -> None:
    settings.QJ_CODE_KEYS = ["c1:" + "44" * 32]
    forged = codes.issue_filing_code(filing)
    settings.QJ_CODE_KEYS = ["c1:" + "55" * 32]
    assert_refused(page_of(forged), 400, hidden=(filing.number,))


def test_an_expired_code_is_refused_with_410(setup: Setup) -> None:
    old = make_filing(setup, start=now() - dt.timedelta(days=5), end=now() - dt.timedelta(days=3), number="BB9")
    html = assert_refused(page_of(codes.issue_filing_code(old)), 410, hidden=(old.number, old.department.name))
    assert "过期" in html


def test_a_code_under_a_retired_key_is_refused_with_400(settings: Any, filing: Filing) -> None:
    settings.QJ_CODE_KEYS, settings.QJ_CODE_KEY_ID = ["old:" + "66" * 32], "old"
    token = codes.issue_filing_code(filing)
    settings.QJ_CODE_KEYS, settings.QJ_CODE_KEY_ID = ["new:" + "77" * 32], "new"
    assert_refused(page_of(token), 400, hidden=(filing.number,))


def test_garbage_is_refused_with_400(db: None) -> None:
    assert_refused(page_of("not-a-code"), 400, hidden=())


def test_a_genuine_code_of_a_missing_filing_is_refused_with_404(db: None) -> None:
    token = codes.sign(codes.FILING, 999_999, now() + dt.timedelta(days=1))
    assert_refused(page_of(token), 404, hidden=())


def test_the_public_page_takes_no_post(filing: Filing) -> None:
    url = reverse("public_code:show", kwargs={"token": codes.issue_filing_code(filing)})
    assert Client().post(url).status_code == 405


# --- staff downloads -------------------------------------------------------------------------------------------


def client_of(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_the_filings_inspector_downloads_the_qr_of_the_public_address(county: County, filing: Filing) -> None:
    response = client_of(county.user("inspector")).get(reverse("checkins:codes:filing_png", args=[filing.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content == qr.png(codes.public_url(codes.issue_filing_code(filing)))


def test_the_office_downloads_an_svg_of_any_filings_code(county: County, filing: Filing) -> None:
    response = client_of(county.user("office", other=True)).get(reverse("checkins:codes:filing_svg", args=[filing.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.decode() == qr.svg(codes.public_url(codes.issue_filing_code(filing)))


@pytest.mark.parametrize(
    ("role", "other"), [("dept_admin", True), ("inspector", True), ("supervisor", False), ("enterprise", False)]
)
def test_others_get_no_filing_code(county: County, filing: Filing, role: str, other: bool) -> None:
    response = client_of(county.user(role, other=other)).get(reverse("checkins:codes:filing_png", args=[filing.pk]))
    assert response.status_code in (403, 404)


def test_an_enterprise_user_downloads_its_own_code_but_not_anothers(county: County) -> None:
    client = client_of(county.user("enterprise"))
    own = client.get(reverse("checkins:codes:enterprise_png", args=[county.enterprise.pk]))
    assert own.status_code == 200 and own.content.startswith(b"\x89PNG")
    assert own.content == qr.png(codes.public_url(codes.issue_enterprise_code(county.enterprise)))
    other = client.get(reverse("checkins:codes:enterprise_svg", args=[county.other_enterprise.pk]))
    assert other.status_code == 404


def test_a_registry_reader_downloads_any_enterprises_code(county: County) -> None:
    client = client_of(county.user("dept_admin", other=True))
    response = client.get(reverse("checkins:codes:enterprise_svg", args=[county.enterprise.pk]))
    assert response.status_code == 200 and "<svg" in response.content.decode()
