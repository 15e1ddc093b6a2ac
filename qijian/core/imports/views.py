"""Upload pages for the registry imports, their result pages, error reports and exports.

An upload is checked and imported within the request (up to QJ_IMPORT_MAX_MB); the result is kept for a
day under MEDIA_ROOT/import-reports and shown only to the session that uploaded it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from qijian.accounts.choices import Role
from qijian.core.exports import FORMATS, xlsx_bytes
from qijian.core.imports.forms import UploadForm
from qijian.core.imports.report import load_result, report_path, store_result
from qijian.enterprises import importing as enterprise_io
from qijian.enterprises.models import Enterprise
from qijian.org import importing as inspector_io
from qijian.org.models import Inspector

_TOKENS = "qj_import_tokens"
_ISSUES_PER_PAGE = 100


@dataclass(frozen=True)
class Kind:
    label: str
    roles: frozenset[str]
    headers: tuple[str, ...]


KINDS = {
    "enterprises": Kind(
        "企业", frozenset({Role.OFFICE, Role.SYSADMIN}), tuple(c.header for c in enterprise_io.COLUMNS)
    ),
    "inspectors": Kind(
        "执法人员",
        frozenset({Role.OFFICE, Role.SYSADMIN, Role.DEPT_ADMIN}),
        tuple(c.header for c in inspector_io.COLUMNS),
    ),
}


def _kind_for(request: HttpRequest, kind: str) -> Kind:
    spec = KINDS[kind]
    role = getattr(request.user, "role", "")
    if role not in spec.roles or (role == Role.DEPT_ADMIN and not getattr(request.user, "department_id", None)):
        raise PermissionDenied("无权导入或导出此类数据")
    return spec


def _run(request: HttpRequest, kind: str, form: UploadForm) -> tuple[Any, Any]:
    upload = form.cleaned_data["file"]
    common = {"filename": upload.name, "actor": request.user, "dry_run": form.cleaned_data["dry_run"]}
    if kind == "enterprises":
        # No worker processes inside a web server process: forking a server worker is the
        # operator command's business (manage.py import_enterprises), not a request's.
        return enterprise_io.import_enterprises(upload.file, workers=0, **common)
    own = request.user.department if getattr(request.user, "role", "") == Role.DEPT_ADMIN else None  # type: ignore[union-attr]
    return inspector_io.import_inspectors(upload.file, own_department=own, **common)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind_for(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result, table = _run(request, kind, form)
        token = store_result(result, table)
        request.session[_TOKENS] = [*request.session.get(_TOKENS, [])[-19:], token]
        return redirect("imports:result", token=token)
    limit_mb = settings.QJ_IMPORT_MAX_BYTES // 1048576
    context = {"form": form, "kind": kind, "spec": spec, "limit_mb": limit_mb}
    return render(request, "imports/upload.html", context)


def _own_result(request: HttpRequest, token: str) -> dict[str, Any]:
    payload = load_result(token) if token in request.session.get(_TOKENS, []) else None
    if payload is None:
        raise Http404("导入结果不存在或已过期")
    return payload


@login_required
@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    payload = _own_result(request, token)
    page = Paginator(payload["issues"], _ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"result": payload, "page": page, "token": token, "spec": KINDS[payload["kind"]]}
    return render(request, "imports/result.html", context)


@login_required
@require_GET
def report(request: HttpRequest, token: str) -> FileResponse:
    _own_result(request, token)
    path = report_path(token)
    if path is None:
        raise Http404("错误报告不存在或已过期")
    return FileResponse(path.open("rb"), as_attachment=True, filename="导入错误报告.xlsx")


@login_required
@require_GET
def blank_template(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind_for(request, kind)
    content = xlsx_bytes(spec.headers, [], title=f"{spec.label}导入模板")
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + f"{kind}-template.xlsx"
    return response


@login_required
@require_GET
def export(request: HttpRequest, kind: str) -> Any:
    _kind_for(request, kind)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        raise Http404("不支持的导出格式")
    if kind == "enterprises":
        return enterprise_io.enterprise_export_response(Enterprise.objects.restrict(request.user, "view"), fmt)
    return inspector_io.inspector_export_response(Inspector.objects.restrict(request.user, "view"), fmt)
