"""Upload page of grading indicator values (office), its result page, error report and blank template.

Reuses the registry imports' machinery (qijian/core/imports): the result is kept for a day and shown
only to the session that uploaded it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.core.exports import xlsx_bytes
from qijian.core.imports.forms import UploadForm
from qijian.core.imports.report import load_result, report_path, store_result
from qijian.grading import importing

_TOKENS = "qj_grading_import_tokens"
_ISSUES_PER_PAGE = 100


@roles_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result, table = importing.import_indicators(
            upload.file, filename=upload.name, actor=request.user, dry_run=form.cleaned_data["dry_run"]
        )
        token = store_result(result, table)
        request.session[_TOKENS] = [*request.session.get(_TOKENS, [])[-19:], token]
        return redirect("grading:import_result", token=token)
    context = {
        "form": form,
        "headers": importing.HEADERS,
        "levels": importing.level_hint(),
        "limit_mb": settings.QJ_IMPORT_MAX_BYTES // 1048576,
    }
    return render(request, "grading/import_upload.html", context)


def _own_result(request: HttpRequest, token: str) -> dict[str, object]:
    payload = load_result(token) if token in request.session.get(_TOKENS, []) else None
    if payload is None:
        raise Http404("导入结果不存在或已过期")
    return payload


@roles_required(Role.OFFICE)
@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    payload = _own_result(request, token)
    issues: list[Any] = list(payload["issues"])  # type: ignore[call-overload]
    page = Paginator(issues, _ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "grading/import_result.html", {"result": payload, "page": page, "token": token})


@login_required
@require_GET
def report(request: HttpRequest, token: str) -> FileResponse:
    if getattr(request.user, "role", None) != Role.OFFICE:
        raise PermissionDenied("无权访问此页面")
    _own_result(request, token)
    path = report_path(token)
    if path is None:
        raise Http404("错误报告不存在或已过期")
    return FileResponse(path.open("rb"), as_attachment=True, filename="导入错误报告.xlsx")


@roles_required(Role.OFFICE)
@require_GET
def blank_template(request: HttpRequest) -> HttpResponse:
    content = xlsx_bytes(importing.HEADERS, [], title="分级分类指标导入模板")
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''grading-indicators-template.xlsx"
    return response
