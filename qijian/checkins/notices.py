"""The printed side of the codes: a filing's 检查通知书 and an enterprise's entrance poster, as A4 PDFs.

Both are HTML templates (templates/checkins/pdf/) printed by WeasyPrint with Debian's Noto CJK fonts,
as qijian/plans/tables/pdf.py does, so nothing is fetched from a network. The QR code is the PNG of
qijian.checkins.qr (10 px per module, drawn without smoothing) carrying the code's public URL; the
token is printed beside it for typing and the URL is a link in the PDF. See docs/codes.md.

A filing's notice has one page per enterprise, addressed to it: each enterprise keeps its own copy.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from qijian.checkins import codes, qr
from qijian.core.notify import office_mailbox
from qijian.enterprises.models import Enterprise
from qijian.inspections.models import Filing
from qijian.inspections.services import kind_label
from qijian.org.models import Department, Inspector
from qijian.policy.loader import figure

NOTICE_TEMPLATE = "checkins/pdf/notice.html"
POSTER_TEMPLATE = "checkins/pdf/poster.html"
STYLESHEET = "checkins/pdf/print.css"
OFFICE_NAME = "沧县涉企执法检查联席会议办公室"  # 机制一: 联席会议办公室设在县发改局


@dataclass(frozen=True)
class PrintedCode:
    """A code as printed: the token to type, the URL in the QR, its image and its expiry."""

    token: str
    url: str
    expires_at: dt.datetime
    qr_src: str

    @property
    def expired(self) -> bool:
        return dt.datetime.now(dt.UTC) > self.expires_at

    @property
    def last_day(self) -> dt.date:
        """The last local day the code is valid (an expiry at midnight ends the day before)."""
        return timezone.localdate(self.expires_at - dt.timedelta(seconds=1))


def printed_code(token: str) -> PrintedCode:
    """The printed form of a token this module has just issued (read without checking its expiry, so
    a past filing's notice can still be printed, marked expired)."""
    claims = codes.read_code(token, now=dt.datetime.fromtimestamp(0, dt.UTC))
    url = codes.public_url(token)
    image = base64.b64encode(qr.png(url)).decode("ascii")
    return PrintedCode(token, url, claims.expires_at, f"data:image/png;base64,{image}")


def notice_filings(filings: QuerySet[Filing]) -> QuerySet[Filing]:
    """Filings with everything a notice prints, in a fixed number of queries."""
    return filings.select_related("department", "item", "superior_department").prefetch_related(
        Prefetch("enterprises", queryset=Enterprise.objects.select_related("township").order_by("id")),
        Prefetch("inspectors", queryset=Inspector.objects.select_related("department").order_by("certificate_no")),
        Prefetch("partners", queryset=Department.objects.order_by("id")),
    )


def _common() -> dict[str, Any]:
    """What every printed page tells the enterprise: rights and where to complain."""
    return {
        "hotline": figure("codes.complaint_hotline"),
        "mailbox": office_mailbox(),
        "office_name": OFFICE_NAME,
        "min_on_site": figure("inspectors.min_on_site"),
        "printed_on": timezone.localdate(),
    }


def notice_context(filing: Filing) -> dict[str, Any]:
    enterprises = list(filing.enterprises.all())
    label = kind_label(filing)
    reason = filing.get_urgent_reason_display() if filing.urgent_reason else ""
    return _common() | {
        "filing": filing,
        "kind_label": label,
        "urgent_reason": "" if reason in label else reason,  # an urgent filing's label already names it
        "enterprises": enterprises,
        "addressees": enterprises or [None],  # one page per enterprise; a filing always names one
        "inspectors": list(filing.inspectors.all()),
        "partners": list(filing.partners.all()),
        "code": printed_code(codes.issue_filing_code(filing)),
    }


def poster_context(enterprise: Enterprise) -> dict[str, Any]:
    return _common() | {"enterprise": enterprise, "code": printed_code(codes.issue_enterprise_code(enterprise))}


def notice_html(filing: Filing) -> str:
    return render_to_string(NOTICE_TEMPLATE, notice_context(filing))


def poster_html(enterprise: Enterprise) -> str:
    return render_to_string(POSTER_TEMPLATE, poster_context(enterprise))


def _document(html: str) -> Any:
    from weasyprint import CSS, HTML

    return HTML(string=html).render(stylesheets=[CSS(string=render_to_string(STYLESHEET))])


def render_pdf(html: str) -> bytes:
    return _document(html).write_pdf()  # type: ignore[no-any-return]


def filing_notice_pdf(filing: Filing) -> bytes:
    return render_pdf(notice_html(filing))


def enterprise_poster_pdf(enterprise: Enterprise) -> bytes:
    return render_pdf(poster_html(enterprise))
