"""Department and inspector pages: lists with search, filters and keyset pages; detail with timeline."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from qijian.core.pagination import keyset_page
from qijian.core.views import require_visible, style_form, timeline
from qijian.org import queries
from qijian.org.filters import DepartmentFilter, InspectorFilter
from qijian.org.models import Department, Inspector


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    require_visible(Department, request.user)
    filterset = DepartmentFilter(request.GET, queryset=queries.department_rows(request.user), request=request)
    page = keyset_page(filterset.qs, request.GET)
    context = {"filter_form": style_form(filterset.form), "page": page, "total": filterset.qs.count()}
    return render(request, "org/department_list.html", context)


@login_required
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(queries.department_rows(request.user), pk=pk)
    context = {
        "department": department,
        "platforms": list(queries.platforms_of(request.user, department)),
        "timeline": timeline(department),
    }
    return render(request, "org/department_detail.html", context)


@login_required
def inspector_list(request: HttpRequest) -> HttpResponse:
    require_visible(Inspector, request.user)
    filterset = InspectorFilter(request.GET, queryset=queries.inspectors_for(request.user), request=request)
    page = keyset_page(filterset.qs, request.GET)
    context = {
        "filter_form": style_form(filterset.form),
        "page": page,
        "total": filterset.qs.count(),
        "today": queries.today(),
    }
    return render(request, "org/inspector_list.html", context)


@login_required
def inspector_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = get_object_or_404(queries.inspectors_for(request.user), pk=pk)
    context = {
        "inspector": inspector,
        "conflicts": list(queries.conflicts_of_inspector(request.user, inspector)),
        "timeline": timeline(inspector),
        "today": queries.today(),
    }
    return render(request, "org/inspector_detail.html", context)
