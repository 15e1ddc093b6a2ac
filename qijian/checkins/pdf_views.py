"""Staff downloads of the printed codes: a filing's 检查通知书 and an enterprise's entrance poster (PDF).

Same access as the QR images (qijian/checkins/code_views.py): a notice for the office, the filing's
department admin and the filing's inspectors; a poster for every registry reader and an enterprise
user for its own enterprise. A cancelled or amended filing gets no notice (410 with the reason and,
for an amendment, a link to the current version). See docs/codes.md.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from qijian.accounts.views import roles_required
from qijian.checkins import notices
from qijian.checkins.code_views import FILING_CODE_ROLES
from qijian.checkins.public_views import current_version
from qijian.core.models import VIEW
from qijian.enterprises.models import Enterprise
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _refused(request: HttpRequest, filing: Filing) -> HttpResponse:
    """The page a withdrawn filing's notice gets instead (410): why, and the current version if amended."""
    current = current_version(filing) if filing.status == FilingStatus.AMENDED else None
    context = {"filing": filing, "current": current if current is not filing else None}
    return render(request, "checkins/pdf/notice_refused.html", context, status=410)


@require_safe
@roles_required(*FILING_CODE_ROLES)
def filing_notice(request: HttpRequest, pk: int) -> HttpResponse:
    filing = notices.notice_filings(Filing.objects.restrict(request.user, VIEW)).filter(pk=pk).first()
    if filing is None:
        raise Http404("报备不存在或不在您的可见范围内")
    if filing.status != FilingStatus.ACTIVE:
        return _refused(request, filing)
    return _pdf(notices.filing_notice_pdf(filing), f"qijian-notice-{filing.number}")


@require_safe
@login_required
def enterprise_poster(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = Enterprise.objects.restrict(request.user, VIEW).filter(pk=pk).first()
    if enterprise is None:
        raise Http404("企业不存在或不在您的可见范围内")
    return _pdf(notices.enterprise_poster_pdf(enterprise), f"qijian-poster-{enterprise.uscc}")
