"""The page a scanned code opens, without signing in (/c/<token>).

An inspection code shows the enterprise who is coming, for which filed inspection and on what basis,
and what it may do (亮证执法, 申请回避, complaints). An enterprise code says whose code it is. A forged,
altered, expired or unknown code gets a refusal page with no data (400; 410 once expired).
Nothing here writes: the page is a read of the filing as it stands now.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from qijian.checkins import codes
from qijian.core.notify import office_mailbox
from qijian.enterprises.models import Enterprise
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from qijian.org.models import Department, Inspector
from qijian.policy.loader import figure

REFUSAL_STATUS = {"expired": 410}
MAX_AMENDMENTS = 50  # the chain of amendments followed to the current version


@require_safe
@never_cache
def show(request: HttpRequest, token: str) -> HttpResponse:
    try:
        claims = codes.read_code(token)
    except codes.CodeError as exc:
        return refusal(request, str(exc), status=REFUSAL_STATUS.get(exc.reason, 400))
    if claims.kind == codes.FILING:
        return _filing_page(request, claims)
    if claims.kind == codes.QUESTIONNAIRE:  # an answer link (问卷码) opened under /c/: the questionnaire page
        return redirect("evaluations_public:answer", token=token)
    return _enterprise_page(request, claims)


def refusal(request: HttpRequest, reason: str, *, status: int) -> HttpResponse:
    context = _rights() | {"reason": reason}
    return render(request, "checkins/public_refused.html", context, status=status)


def _rights() -> dict[str, Any]:
    """What every page tells the enterprise: where to complain (and the inspectors' minimum number)."""
    return {
        "mailbox": office_mailbox(),
        "hotline": figure("codes.complaint_hotline"),
        "min_on_site": figure("inspectors.min_on_site"),
    }


# --- inspection code ---------------------------------------------------------------------------------------


def public_filing(pk: int) -> Filing | None:
    """A filing with what the public page prints, in a fixed number of queries (no user scope: the
    signed code is the permission)."""
    return (
        Filing.objects.select_related("department", "item", "superior_department")
        .prefetch_related(
            Prefetch("enterprises", queryset=Enterprise.objects.only("id", "name").order_by("id")),
            Prefetch("inspectors", queryset=Inspector.objects.select_related("department").order_by("certificate_no")),
            Prefetch("partners", queryset=Department.objects.order_by("id")),
        )
        .filter(pk=pk)
        .first()
    )


def current_version(filing: Filing) -> Filing:
    """The newest amendment of an amended filing (the filing itself otherwise)."""
    current = filing
    for _ in range(MAX_AMENDMENTS):
        if current.status != FilingStatus.AMENDED:
            break
        newer = Filing.objects.filter(supersedes=current).first()
        if newer is None:
            break
        current = newer
    return current


def _filing_page(request: HttpRequest, claims: codes.CodeClaims) -> HttpResponse:
    filing = public_filing(claims.object_id)
    if filing is None:
        return refusal(request, "此码对应的检查报备不存在", status=404)
    context = _rights() | {"filing": filing, "phase": _phase(filing), "expires_at": claims.expires_at}
    if filing.status == FilingStatus.AMENDED:
        current = current_version(filing)
        token = codes.issue_filing_code(current)
        context |= {"current": current, "current_url": reverse("public_code:show", kwargs={"token": token})}
    return render(request, "checkins/public_filing.html", context)


def _phase(filing: Filing) -> str:
    now = dt.datetime.now(dt.UTC)
    if now < filing.window_start:
        return "before"
    return "during" if now <= filing.window_end else "after"


# --- enterprise code ---------------------------------------------------------------------------------------


def _enterprise_page(request: HttpRequest, claims: codes.CodeClaims) -> HttpResponse:
    enterprise = Enterprise.objects.only("id", "name", "status").filter(pk=claims.object_id).first()
    if enterprise is None:
        return refusal(request, "此码对应的企业不存在", status=404)
    context = _rights() | {"enterprise": enterprise, "expires_at": claims.expires_at}
    return render(request, "checkins/public_enterprise.html", context)
