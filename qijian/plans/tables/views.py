"""Downloads of a plan's tables (附件2-1/2-2/5 as .xlsx or PDF) and the upload of a filled-in one.

Who: overseers and the plan's own department admin download; only the department admin (the random
coordinator for the annual random plan) uploads. An upload runs one importer (which calls the plan
services inside one transaction); a refused upload shows every problem and offers the marked-up
workbook (错误信息 column), kept for a day and only for the session that uploaded it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from qijian.accounts.choices import OVERSEERS, Role
from qijian.core.imports.report import report_dir
from qijian.core.models import VIEW
from qijian.plans import queries as plan_queries
from qijian.plans.choices import PlanKind
from qijian.plans.models import Plan
from qijian.plans.tables.export import FORMATS, county_plan_workbook, export_table
from qijian.plans.tables.importer import TableImportError, import_table
from qijian.plans.tables.layouts import LAYOUTS

_REPORTS = "qj_plan_table_reports"
DOWNLOADERS = frozenset(OVERSEERS) | {Role.DEPT_ADMIN}


class TableUploadForm(forms.Form):
    file = forms.FileField(label="填好的表格(.xlsx 或 .csv)")


def _visible_plan(request: HttpRequest, pk: int) -> Plan:
    if getattr(request.user, "role", "") not in DOWNLOADERS:
        raise PermissionDenied("您的角色无权下载检查计划表格。")
    return get_object_or_404(Plan.objects.restrict(request.user, VIEW).select_related("department"), pk=pk)


def _may_import(user: Any, plan: Plan) -> bool:
    return plan_queries.is_author(user, plan)


def _layout_or_404(table: str) -> Any:
    if table not in LAYOUTS:
        raise Http404("没有这种表格")
    return LAYOUTS[table]


@login_required
@require_GET
def table_export(request: HttpRequest, pk: int, table: str, fmt: str) -> HttpResponse:
    plan = _visible_plan(request, pk)
    if table not in LAYOUTS or fmt not in FORMATS:
        raise Http404("没有这种表格或格式")
    exported = export_table(plan, table, fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = _disposition(exported.filename)
    return response


def _disposition(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"


@login_required
@require_http_methods(["GET", "POST"])
def table_import(request: HttpRequest, pk: int, table: str) -> HttpResponse:
    plan = _visible_plan(request, pk)
    layout = _layout_or_404(table)
    if not _may_import(request.user, plan):
        raise PermissionDenied("只有本部门管理员可以导入本部门计划的表格。")
    form = TableUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"plan": plan, "layout": layout, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = import_table(actor=request.user, plan=plan, table=table, data=upload.read(), filename=upload.name)
        except TableImportError as exc:
            context |= {"problems": exc.problems, "report_token": _keep_report(request, exc.report)}
        else:
            messages.success(request, outcome.summary())
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/tables/import.html", context)


def _keep_report(request: HttpRequest, report: bytes | None) -> str:
    if report is None:
        return ""
    token = uuid.uuid4().hex
    (report_dir() / f"plan-table-{token}.xlsx").write_bytes(report)
    request.session[_REPORTS] = [*request.session.get(_REPORTS, [])[-19:], token]
    return token


@login_required
@require_GET
def table_import_report(request: HttpRequest, token: str) -> FileResponse:
    path = report_dir() / f"plan-table-{token}.xlsx"
    if not token.isalnum() or token not in request.session.get(_REPORTS, []) or not path.exists():
        raise Http404("错误报告不存在或已过期")
    return FileResponse(path.open("rb"), as_attachment=True, filename="导入错误报告.xlsx")


def _require_overseer(request: HttpRequest) -> None:
    if getattr(request.user, "role", "") not in OVERSEERS:
        raise PermissionDenied("只有联席会议办公室和审核部门可以下载全县的计划表。")


@login_required
@require_GET
def table_county(request: HttpRequest) -> HttpResponse:
    """The office's page: each quarter with plans, and its county-wide 附件2-1 workbook."""
    _require_overseer(request)
    quarters = (
        Plan.objects.filter(kind=PlanKind.QUARTERLY)
        .values("year", "quarter")
        .annotate(plans=Count("id"))
        .order_by("-year", "-quarter")
    )
    return render(request, "plans/tables/county.html", {"quarters": list(quarters)})


@login_required
@require_GET
def table_county_export(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    _require_overseer(request)
    exported = county_plan_workbook(year, quarter)
    if exported is None:
        raise Http404("该季度还没有任何部门的检查计划")
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = _disposition(exported.filename)
    return response
