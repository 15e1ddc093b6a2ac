"""Enterprise pages: a list that stays fast at a million rows, and a detail page with timeline."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from qijian.accounts.choices import Role
from qijian.core.pagination import keyset_page
from qijian.core.views import require_visible, style_form, timeline
from qijian.enterprises import queries
from qijian.enterprises.choices import UsccStatus
from qijian.enterprises.filters import EnterpriseFilter
from qijian.enterprises.models import Enterprise
from qijian.org.queries import conflicts_of_enterprise


def _is_unfiltered(filterset: EnterpriseFilter) -> bool:
    data = filterset.form.cleaned_data if filterset.form.is_valid() else {"invalid": True}
    return not any(value not in (None, "") for value in data.values())


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(user, "role", None) == Role.ENTERPRISE:
        return redirect("enterprises:detail", pk=user.enterprise_id)  # type: ignore[union-attr]
    require_visible(Enterprise, user)
    filterset = EnterpriseFilter(request.GET, queryset=queries.enterprises_for(user), request=request)
    page = keyset_page(filterset.qs, request.GET)
    # Only the whole registry gets a total, from the planner's estimate: never COUNT(*) a million rows.
    total = queries.estimated_total() if _is_unfiltered(filterset) else None
    context = {"filter_form": style_form(filterset.form), "page": page, "total": total}
    return render(request, "enterprises/enterprise_list.html", context)


# Audit actions that carry the grade: not shown to the enterprise itself (grades are not disclosed).
GRADE_ACTIONS = frozenset({"enterprises.set_grade"})


def _timeline_for(user: object, enterprise: Enterprise) -> list[dict[str, object]]:
    rows = timeline(enterprise)
    if getattr(user, "role", None) == Role.ENTERPRISE:
        return [r for r in rows if r["code"] not in GRADE_ACTIONS]
    return rows


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_object_or_404(queries.enterprises_for(request.user), pk=pk)
    context = {
        "enterprise": enterprise,
        "conflicts": list(conflicts_of_enterprise(request.user, enterprise)),
        "timeline": _timeline_for(request.user, enterprise),
        "is_pilot_code": enterprise.uscc_status == UsccStatus.PILOT,
    }
    return render(request, "enterprises/enterprise_detail.html", context)
