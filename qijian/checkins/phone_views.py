"""The inspector's phone pages (入企扫码): the scan page and the result page of one check-in.

Both pages only read. Writing goes through the check-in API (``POST /api/v1/checkins/`` and
``.../checkout/``) from static/qijian/checkin.js, which also keeps the offline queue (docs/phone.md).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.catalog.choices import InspectionMethod
from qijian.checkins.choices import CheckInResult, CheckInStatus
from qijian.checkins.models import CheckIn
from qijian.core.models import VIEW
from qijian.org.choices import InspectorStatus
from qijian.org.models import Inspector
from qijian.policy.loader import figure


def api_url(tail: str) -> str:
    """An address of the check-in API (``/api/v1/checkins/...``), built from the API root's name."""
    return reverse("api:api-root") + tail


def companions_for(user: Any, inspector: Inspector | None) -> QuerySet[Inspector]:
    """The active colleagues of the user's inspector in its own department (that inspector excluded)."""
    if inspector is None:
        return Inspector.objects.none()
    return (
        Inspector.objects.restrict(user, VIEW)
        .filter(department_id=inspector.department_id, status=InspectorStatus.ACTIVE)
        .exclude(pk=inspector.pk)
        .order_by("name", "certificate_no")
    )


@require_safe
@roles_required(Role.INSPECTOR)
def scan(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    inspector = Inspector.objects.select_related("department").filter(pk=user.inspector_id).first()
    context = {
        "inspector": inspector,
        "companions": list(companions_for(user, inspector)),
        "api_url": api_url("checkins/"),
    }
    return render(request, "checkins/phone_scan.html", context)


def _own_checkin(user: Any, pk: int) -> CheckIn:
    checkin = (
        CheckIn.objects.restrict(user, VIEW)
        .select_related("enterprise", "filing__item", "filing__department", "inspector")
        .prefetch_related("companions", "attachments")
        .filter(pk=pk)
        .first()
    )
    if checkin is None:
        raise Http404("扫码记录不存在或不在您的可见范围内")
    return checkin


@require_safe
@roles_required(Role.INSPECTOR)
def result(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = _own_checkin(request.user, pk)
    context = {
        "checkin": checkin,
        "open": checkin.status == CheckInStatus.CHECKED_IN,
        "results": CheckInResult.choices,
        "methods": InspectionMethod.choices,
        "checkout_url": api_url(f"checkins/{checkin.pk}/checkout/"),
        "attach_url": api_url(f"checkins/{checkin.pk}/attachments/"),
        "max_mb": figure("attachments.max_mb"),
    }
    return render(request, "checkins/phone_result.html", context)
