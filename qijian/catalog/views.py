"""检查事项清单 pages: every staff role reads; a department admin drafts; the office approves or returns."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.catalog import queries, services
from qijian.catalog.forms import ApproveForm, ItemForm, ReturnForm
from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.calendar import local_today
from qijian.core.models import CHANGE
from qijian.core.views import require_visible, timeline


@login_required
def catalog_home(request: HttpRequest) -> HttpResponse:
    require_visible(CatalogVersion, request.user)
    user: Any = request.user
    own = list(queries.own_versions(user))
    context = {
        "own_versions": own,
        "can_create": user.role == Role.DEPT_ADMIN and not any(v.status in services.OPEN_STATUSES for v in own),
        "pending": list(queries.pending_versions(user)),
        "catalogs": queries.effective_catalogs(local_today()),
        "today": local_today(),
    }
    return render(request, "catalog/home.html", context)


def _changeable_version(request: HttpRequest, pk: int) -> CatalogVersion:
    qs = CatalogVersion.objects.restrict(request.user, CHANGE).select_related("department")
    return get_object_or_404(qs, pk=pk)


def _changeable_item(request: HttpRequest, pk: int) -> CatalogItem:
    qs = CatalogItem.objects.restrict(request.user, CHANGE).select_related("version__department")
    return get_object_or_404(qs, pk=pk)


def _outcome(request: HttpRequest, version_pk: int, error: str | None, success: str) -> HttpResponse:
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect("catalog:version_detail", pk=version_pk)


@require_POST
@roles_required(Role.DEPT_ADMIN)
def version_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    try:
        version = services.create_version(actor=user, department=user.department)
    except services.CatalogError as exc:
        messages.error(request, str(exc))
        return redirect("catalog:home")
    return _outcome(request, version.pk, None, f"已新建第{version.number}版草稿")


def _detail_context(request: HttpRequest, version: CatalogVersion) -> dict[str, Any]:
    user: Any = request.user
    own = user.role == Role.DEPT_ADMIN and user.department_id == version.department_id
    reviewing = user.role == Role.OFFICE and version.status == "submitted"
    return {
        "version": version,
        "items": queries.version_items(version),
        "can_edit": own and version.status in services.EDITABLE_STATUSES,
        "can_review": reviewing,
        "approve_form": ApproveForm(user=user, initial={"effective_from": local_today()}) if reviewing else None,
        "return_form": ReturnForm() if reviewing else None,
        "timeline": timeline(version),
    }


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(queries.versions_for(request.user), pk=pk)
    return render(request, "catalog/version_detail.html", _detail_context(request, version))


@require_POST
@roles_required(Role.DEPT_ADMIN)
def version_submit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _changeable_version(request, pk)
    try:
        services.submit_catalog(actor=request.user, version=version)
    except services.CatalogError as exc:
        return _outcome(request, pk, str(exc), "")
    return _outcome(request, pk, None, "已提交联席会议办公室审定")


def _form_error(form: Any) -> str:
    return ";".join(str(e) for errors in form.errors.values() for e in errors)


@require_POST
@roles_required(Role.OFFICE)
def version_approve(request: HttpRequest, pk: int) -> HttpResponse:
    version = _changeable_version(request, pk)
    form = ApproveForm(request.POST, user=request.user)
    if not form.is_valid():
        return _outcome(request, pk, _form_error(form), "")
    try:
        services.approve_catalog(actor=request.user, version=version, **form.cleaned_data)
    except services.CatalogError as exc:
        return _outcome(request, pk, str(exc), "")
    return _outcome(request, pk, None, f"已审定,自 {version.effective_from:%Y-%m-%d} 起生效")


@require_POST
@roles_required(Role.OFFICE)
def version_return(request: HttpRequest, pk: int) -> HttpResponse:
    version = _changeable_version(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _outcome(request, pk, "退回时须填写退回意见。", "")
    try:
        services.return_catalog(actor=request.user, version=version, comment=form.cleaned_data["comment"])
    except services.CatalogError as exc:
        return _outcome(request, pk, str(exc), "")
    return _outcome(request, pk, None, "已退回部门修改")


def _item_page(request: HttpRequest, form: ItemForm, version: CatalogVersion, item: CatalogItem | None) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "version": version, "item": item}
    return render(request, "catalog/item_form.html", context, status=status)


@roles_required(Role.DEPT_ADMIN)
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = _changeable_version(request, pk)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_item(actor=request.user, version=version, **form.cleaned_data)
        except services.CatalogError as exc:
            form.add_error(None, str(exc))
        else:
            return _outcome(request, pk, None, f"已添加检查事项 {item.code}")
    return _item_page(request, form, version, None)


@roles_required(Role.DEPT_ADMIN)
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _changeable_item(request, pk)
    form = ItemForm.for_item(item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(actor=request.user, item=item, **form.cleaned_data)
        except services.CatalogError as exc:
            form.add_error(None, str(exc))
        else:
            return _outcome(request, item.version_id, None, f"已修改检查事项 {item.code}")
    return _item_page(request, form, item.version, item)


@require_POST
@roles_required(Role.DEPT_ADMIN)
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _changeable_item(request, pk)
    version_pk, code = item.version_id, item.code
    try:
        services.remove_item(actor=request.user, item=item)
    except services.CatalogError as exc:
        return _outcome(request, version_pk, str(exc), "")
    return _outcome(request, version_pk, None, f"已删除检查事项 {code}")
