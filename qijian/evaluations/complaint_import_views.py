"""Upload page of 12345 / 企业家直通车 complaint exports (office and 司法局), its result page, error report
and blank templates. Reuses qijian/core/imports: the result is kept for a day and shown only to the
session that uploaded it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.core.exports import xlsx_bytes
from qijian.core.imports.report import load_result, report_path, store_result
from qijian.evaluations import complaint_importing as importing
from qijian.evaluations.forms_complaints import ImportForm

_TOKENS = "qj_complaint_import_tokens"
_ISSUES_PER_PAGE = 100
STAFF = (Role.OFFICE, Role.SUPERVISOR)


@roles_required(*STAFF)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result, table = importing.import_complaints(
            upload.file,
            source=form.cleaned_data["source"],
            filename=upload.name,
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        token = store_result(result, table)
        request.session[_TOKENS] = [*request.session.get(_TOKENS, [])[-19:], token]
        return redirect("evaluations:complaint_import_result", token=token)
    context = {
        "form": form,
        "sources": importing.SOURCES.values(),
        "limit_mb": settings.QJ_IMPORT_MAX_BYTES // 1048576,
    }
    return render(request, "evaluations/complaints/import_upload.html", context)


def _own_result(request: HttpRequest, token: str) -> dict[str, Any]:
    payload = load_result(token) if token in request.session.get(_TOKENS, []) else None
    if payload is None:
        raise Http404("导入结果不存在或已过期")
    return payload


@roles_required(*STAFF)
@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    payload = _own_result(request, token)
    page = Paginator(list(payload["issues"]), _ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"result": payload, "page": page, "token": token}
    return render(request, "evaluations/complaints/import_result.html", context)


@roles_required(*STAFF)
@require_GET
def report(request: HttpRequest, token: str) -> HttpResponse:
    _own_result(request, token)
    path = report_path(token)
    if path is None:
        raise Http404("错误报告不存在或已过期")
    return FileResponse(path.open("rb"), as_attachment=True, filename="投诉工单导入错误报告.xlsx")  # type: ignore[return-value]


@roles_required(*STAFF)
@require_GET
def blank_template(request: HttpRequest, source: str) -> HttpResponse:
    spec = importing.SOURCES.get(source)
    if spec is None:
        raise Http404("未知的工单来源")
    content = xlsx_bytes(spec.headers, [], title=f"{spec.label}工单导入模板")
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''complaints-{source}-template.xlsx"
    return response
