"""Staff downloads of the QR images: a filing's inspection code and an enterprise's gate code.

Inspection codes: the office, the filing's department admin and the filing's inspectors (whatever
Filing.restrict lets those roles see). Enterprise codes: every registry reader, an enterprise user
its own enterprise only (Enterprise.restrict). The image carries the public URL of the code.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.checkins import codes, qr
from qijian.core.models import VIEW
from qijian.enterprises.models import Enterprise
from qijian.inspections.models import Filing

FILING_CODE_ROLES = (Role.OFFICE, Role.DEPT_ADMIN, Role.INSPECTOR)
CONTENT_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def _image(text: str, fmt: str, filename: str) -> HttpResponse:
    content: bytes | str = qr.png(text) if fmt == "png" else qr.svg(text)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _filing(request: HttpRequest, pk: int) -> Filing:
    filing = Filing.objects.restrict(request.user, VIEW).filter(pk=pk).first()
    if filing is None:
        raise Http404("报备不存在或不在您的可见范围内")
    return filing


def _enterprise(request: HttpRequest, pk: int) -> Enterprise:
    enterprise = Enterprise.objects.restrict(request.user, VIEW).filter(pk=pk).first()
    if enterprise is None:
        raise Http404("企业不存在或不在您的可见范围内")
    return enterprise


def _filing_code(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    filing = _filing(request, pk)
    url = codes.public_url(codes.issue_filing_code(filing))
    return _image(url, fmt, f"qijian-filing-{filing.number}")


def _enterprise_code(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    url = codes.public_url(codes.issue_enterprise_code(enterprise))
    return _image(url, fmt, f"qijian-enterprise-{enterprise.uscc}")


@require_safe
@roles_required(*FILING_CODE_ROLES)
def filing_png(request: HttpRequest, pk: int) -> HttpResponse:
    return _filing_code(request, pk, "png")


@require_safe
@roles_required(*FILING_CODE_ROLES)
def filing_svg(request: HttpRequest, pk: int) -> HttpResponse:
    return _filing_code(request, pk, "svg")


@require_safe
@login_required
def enterprise_png(request: HttpRequest, pk: int) -> HttpResponse:
    return _enterprise_code(request, pk, "png")


@require_safe
@login_required
def enterprise_svg(request: HttpRequest, pk: int) -> HttpResponse:
    return _enterprise_code(request, pk, "svg")
