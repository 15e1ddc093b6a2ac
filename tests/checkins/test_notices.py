"""The printed codes: a filing's 检查通知书 and an enterprise's entrance poster (A4 PDFs, Chinese text)."""

from __future__ import annotations

import datetime as dt
import io
import os
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from qijian.checkins import codes, notices, qr
from qijian.core.testing import County, login_verified
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from qijian.org.models import Inspector
from tests.checkins.visits import make_filing, now
from tests.inspections.conftest import Setup, build_setup

A4_POINTS = (595, 842)  # 210 × 297 mm at 72 points per inch, rounded


@pytest.fixture
def setup(county: County) -> Setup:
    return build_setup(county)


@pytest.fixture
def filing(setup: Setup) -> Filing:
    return make_filing(setup, start=now() - dt.timedelta(hours=1), end=now() + dt.timedelta(hours=8), number="TZ1")


def client_of(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def notice_url(filing: Filing) -> str:
    return reverse("checkins:codes:filing_notice", args=[filing.pk])


def poster_url(pk: int) -> str:
    return reverse("checkins:codes:enterprise_poster", args=[pk])


def read_pdf(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    _keep(content)
    return reader


def _keep(content: bytes) -> None:
    """QJ_KEEP_PDF=<dir> saves every PDF a test reads, to look at the layout by eye."""
    folder = os.environ.get("QJ_KEEP_PDF")
    if folder:
        name = os.environ.get("PYTEST_CURRENT_TEST", "pdf").split(" ")[0].split("::")[-1]
        with open(os.path.join(folder, f"{name}.pdf"), "wb") as out:
            out.write(content)


def page_text(page: Any) -> str:
    return "".join(page.extract_text().split())  # CJK text comes out with line breaks at wrap points


def page_text_spaced(page: Any) -> str:
    return " ".join(page.extract_text().split())


def links(reader: PdfReader) -> list[str]:
    found = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def images(page: Any) -> list[Image.Image]:
    return [image.image for image in page.images]


def same_pixels(one: Image.Image, other: Image.Image) -> bool:
    return one.size == other.size and one.convert("L").tobytes() == other.convert("L").tobytes()


def assert_a4(reader: PdfReader) -> None:
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS


# --- the inspection notice ----------------------------------------------------------------------------------


def test_the_notice_is_an_a4_pdf_telling_the_enterprise_what_it_must_know(setup: Setup, filing: Filing) -> None:
    response = client_of(setup.county.user("inspector")).get(notice_url(filing))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    reader = read_pdf(response.content)
    assert_a4(reader)
    assert len(reader.pages) == 1
    text = page_text(reader.pages[0])
    for shown in (filing.number, filing.department.name, setup.county.enterprise.name, setup.county.enterprise.uscc):
        assert shown in text
    assert setup.item.name in text and "《危险化学品安全管理条例》第六条" in text  # the item and its basis
    for inspector in setup.pair:
        assert inspector.name in text and inspector.certificate_no in text
    assert "申请其回避" in text and "第四十三条" in text
    assert "12345" in text and "cxfgj2024@163.com" in text and "联席会议办公室" in text
    assert "现场检查" in text  # the method
    assert f"{timezone.localtime(filing.window_start):%Y年%-m月%-d日 %H:%M}" in page_text_spaced(reader.pages[0])


def test_the_notices_qr_code_is_the_filings_genuine_inspection_code(setup: Setup, filing: Filing) -> None:
    reader = read_pdf(client_of(setup.county.user("office")).get(notice_url(filing)).content)
    [url] = set(links(reader))
    token = codes.token_from_text(url)
    claims = codes.read_code(token, kind=codes.FILING)
    assert claims.object_id == filing.pk
    assert abs(claims.expires_at - codes.filing_code_expiry(filing)) < dt.timedelta(seconds=1)
    assert url == codes.public_url(token)
    text = page_text(reader.pages[0])
    assert token in text  # printed for typing
    expected = Image.open(io.BytesIO(qr.png(url)))
    assert any(same_pixels(image, expected) for image in images(reader.pages[0]))  # the QR drawn is of this URL


def test_a_filing_of_several_enterprises_prints_one_notice_per_enterprise(setup: Setup, filing: Filing) -> None:
    county = setup.county
    filing.enterprises.add(county.other_enterprise)
    reader = read_pdf(client_of(county.user("dept_admin")).get(notice_url(filing)).content)
    assert len(reader.pages) == 2
    first, second = (page_text(page) for page in reader.pages)
    assert f"{county.enterprise.name}:" in first and f"{county.other_enterprise.name}:" in second
    assert county.other_enterprise.uscc not in first and county.enterprise.uscc not in second
    for text in (first, second):
        assert filing.number in text and setup.pair[0].certificate_no in text and "共涉及2家企业" in text


def test_a_joint_superior_filing_with_six_inspectors_still_fits_one_page(setup: Setup, filing: Filing) -> None:
    county = setup.county
    extra = [
        Inspector.objects.create(
            name=f"执法人员{n}",
            certificate_no=f"1309210009{n}",
            department=county.other_dept,
            certificate_valid_from=county.inspector.certificate_valid_from,
            certificate_valid_until=county.inspector.certificate_valid_until,
        )
        for n in range(4)
    ]
    filing.inspectors.add(*extra)
    filing.partners.add(county.other_dept)
    Filing.objects.filter(pk=filing.pk).update(joint=True, superior_department=setup.city)
    reader = read_pdf(client_of(county.user("office")).get(notice_url(filing)).content)
    assert len(reader.pages) == 1
    text = page_text(reader.pages[0])
    assert setup.city.name in text and county.other_dept.name in text and "执法人员3" in text


def test_the_notice_reads_the_filing_in_a_fixed_number_of_queries(
    setup: Setup, filing: Filing, django_assert_max_num_queries: Any
) -> None:
    filing.enterprises.add(setup.county.other_enterprise)
    client = client_of(setup.county.user("office"))
    with django_assert_max_num_queries(7):  # the sign-in (3), the filing and its three lists
        assert client.get(notice_url(filing)).status_code == 200


@pytest.mark.parametrize(
    ("role", "other"), [("dept_admin", True), ("inspector", True), ("office", False), ("inspector", False)]
)
def test_who_may_print_a_notice(county: County, filing: Filing, role: str, other: bool) -> None:
    response = client_of(county.user(role, other=other)).get(notice_url(filing))
    assert response.status_code == (404 if other else 200)


@pytest.mark.parametrize("role", ["supervisor", "random_coordinator", "enterprise", "sysadmin"])
def test_roles_without_the_filing_code_get_no_notice(county: County, filing: Filing, role: str) -> None:
    assert client_of(county.user(role)).get(notice_url(filing)).status_code == 403


def test_a_cancelled_filing_gets_no_notice_but_a_refusal_saying_so(county: County, filing: Filing) -> None:
    Filing.objects.filter(pk=filing.pk).update(status=FilingStatus.CANCELLED, cancelled_at=now())
    response = client_of(county.user("dept_admin")).get(notice_url(filing))
    assert response.status_code == 410 and response["Content-Type"].startswith("text/html")
    assert "已撤销,不再出具检查通知书" in response.content.decode()


def test_an_amended_filings_notice_points_at_the_current_version(setup: Setup, filing: Filing) -> None:
    newer = make_filing(setup, start=filing.window_start, end=filing.window_end, number="TZ2", supersedes=filing)
    Filing.objects.filter(pk=filing.pk).update(status=FilingStatus.AMENDED)
    response = client_of(setup.county.user("dept_admin")).get(notice_url(filing))
    html = response.content.decode()
    assert response.status_code == 410 and "已变更" in html and notice_url(newer) in html


def test_the_notice_of_a_filing_past_its_code_expiry_says_the_code_has_expired(setup: Setup) -> None:
    old = make_filing(setup, start=now() - dt.timedelta(days=5), end=now() - dt.timedelta(days=3), number="TZ3")
    reader = read_pdf(client_of(setup.county.user("dept_admin")).get(notice_url(old)).content)
    assert "(已过期)" in page_text(reader.pages[0])


# --- the enterprise poster ----------------------------------------------------------------------------------


def test_the_poster_carries_the_enterprises_name_credit_code_and_gate_code(county: County) -> None:
    response = client_of(county.user("enterprise")).get(poster_url(county.enterprise.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = read_pdf(response.content)
    assert_a4(reader)
    assert len(reader.pages) == 1
    text = page_text(reader.pages[0])
    assert county.enterprise.name in text and county.enterprise.uscc in text
    assert "扫码入企" in text and "检查码" in text and "回避" in text and "12345" in text
    expiry = codes.enterprise_code_expiry()
    assert f"本码有效期至{timezone.localdate(expiry):%Y年%-m月%-d日}" in text
    [url] = set(links(reader))
    claims = codes.read_code(codes.token_from_text(url), kind=codes.ENTERPRISE)
    assert claims.object_id == county.enterprise.pk
    assert abs(claims.expires_at - expiry) < dt.timedelta(seconds=1)
    expected = Image.open(io.BytesIO(qr.png(url)))
    assert any(same_pixels(image, expected) for image in images(reader.pages[0]))


def test_an_enterprise_user_gets_no_poster_of_another_enterprise(county: County) -> None:
    response = client_of(county.user("enterprise")).get(poster_url(county.other_enterprise.pk))
    assert response.status_code == 404


def test_a_registry_reader_prints_any_enterprises_poster(county: County) -> None:
    response = client_of(county.user("dept_admin", other=True)).get(poster_url(county.enterprise.pk))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_the_poster_needs_a_sign_in(county: County) -> None:
    response = Client().get(poster_url(county.enterprise.pk))
    assert response.status_code == 302 and "login" in response["Location"]


# --- the rendering itself -----------------------------------------------------------------------------------


def test_the_printed_pages_use_the_chinese_fonts_from_debian(county: County, filing: Filing) -> None:
    reader = read_pdf(notices.filing_notice_pdf(notices.notice_filings(Filing.objects.all()).get(pk=filing.pk)))
    resources: Any = reader.pages[0]["/Resources"]
    fonts = {str(font.get_object()["/BaseFont"]) for font in resources["/Font"].values()}
    assert any("Noto-Serif-CJK-SC" in name for name in fonts) and any("Noto-Sans-CJK-SC" in name for name in fonts)
    assert all("-CJK-SC" in name for name in fonts), fonts  # no glyph falls back to another font


def test_printed_templates_have_no_inline_script(county: County, filing: Filing) -> None:
    html = notices.notice_html(notices.notice_filings(Filing.objects.all()).get(pk=filing.pk))
    html += notices.poster_html(county.enterprise)
    assert "<script" not in html and " style=" not in html


# --- the buttons --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "shown"), [("inspector", True), ("dept_admin", True), ("supervisor", False)])
def test_the_filing_page_offers_the_notice_and_the_code_to_who_may_print_them(
    county: County, filing: Filing, role: str, shown: bool
) -> None:
    html = client_of(county.user(role)).get(reverse("inspections:detail", args=[filing.pk])).content.decode()
    assert (notice_url(filing) in html) is shown and ("打印检查通知书" in html) is shown
    assert (reverse("checkins:codes:filing_png", args=[filing.pk]) in html) is shown


def test_a_cancelled_filings_page_offers_no_notice(county: County, filing: Filing) -> None:
    Filing.objects.filter(pk=filing.pk).update(status=FilingStatus.CANCELLED, cancelled_at=now())
    html = client_of(county.user("dept_admin")).get(reverse("inspections:detail", args=[filing.pk])).content.decode()
    assert notice_url(filing) not in html


@pytest.mark.parametrize("role", ["enterprise", "dept_admin"])
def test_the_enterprise_page_offers_the_poster(county: County, role: str) -> None:
    html = client_of(county.user(role)).get(reverse("enterprises:detail", args=[county.enterprise.pk])).content
    assert poster_url(county.enterprise.pk) in html.decode() and "下载企业码海报" in html.decode()
