"""用户管理 (sysadmin; a dept_admin reads its own department's users)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from qijian.accounts import services
from qijian.accounts.choices import Role
from qijian.accounts.forms import (
    ChangeRoleForm,
    CreateUserForm,
    DeactivateForm,
    ResetPasswordForm,
    UserFilterForm,
    style,
)
from qijian.accounts.models import User
from qijian.accounts.queries import users_for
from qijian.accounts.views import roles_required
from qijian.audit.queries import events_for
from qijian.core.models import CHANGE

PAGE_SIZE = 25
_READERS = (Role.SYSADMIN, Role.DEPT_ADMIN)


@roles_required(*_READERS)
def user_list(request: HttpRequest) -> HttpResponse:
    form = style(UserFilterForm(request.GET or None, actor=request.user))
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    qs = users_for(
        request.user, q=filters.get("q", ""), role=filters.get("role", ""), department=filters.get("department")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "can_manage": request.user.role == Role.SYSADMIN}  # type: ignore[union-attr]
    return render(request, "accounts/user_list.html", context)


@roles_required(Role.SYSADMIN)
def user_create(request: HttpRequest) -> HttpResponse:
    form = style(CreateUserForm(request.POST or None, actor=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                actor=request.user,
                username=data["username"],
                password=data["password1"],
                role=data["role"],
                full_name=data["full_name"],
                department=data["department"],
                enterprise=data["enterprise_uscc"],
                inspector=data["inspector_no"],
                person_number=data["person_number"],
                phone=data["phone"],
                email=data["email"],
            )
        except services.AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已创建账号 {user.username}")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@roles_required(*_READERS)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(users_for(request.user), pk=pk)
    manage = request.user.role == Role.SYSADMIN  # type: ignore[union-attr]
    context = {
        "target": target,
        "can_manage": manage and target.pk != request.user.pk and target.is_active,
        "events": list(events_for(target, limit=30)) if manage else [],
        "role_form": style(ChangeRoleForm(actor=request.user)),
        "password_form": style(ResetPasswordForm()),
        "deactivate_form": style(DeactivateForm()),
    }
    return render(request, "accounts/user_detail.html", context)


def _changeable(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(User.objects.restrict(request.user, CHANGE), pk=pk)


def _done(request: HttpRequest, pk: int, error: str | None, success: str) -> HttpResponse:
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect("accounts:user_detail", pk=pk)


def _form_error(form: Any) -> str:
    return ";".join(str(e) for errors in form.errors.values() for e in errors)


@require_POST
@roles_required(Role.SYSADMIN)
def user_change_role(request: HttpRequest, pk: int) -> HttpResponse:
    target = _changeable(request, pk)
    form = ChangeRoleForm(request.POST, actor=request.user)
    if not form.is_valid():
        return _done(request, pk, _form_error(form), "")
    data = form.cleaned_data
    try:
        services.change_role(
            actor=request.user,
            user=target,
            role=data["role"],
            inspector=data["inspector_no"],
            person_number=data["person_number"],
        )
    except services.AccountError as exc:
        return _done(request, pk, str(exc), "")
    return _done(request, pk, None, f"已将角色改为{target.role_label}")


@require_POST
@roles_required(Role.SYSADMIN)
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    target = _changeable(request, pk)
    form = ResetPasswordForm(request.POST)
    if not form.is_valid():
        return _done(request, pk, _form_error(form), "")
    try:
        services.reset_password(actor=request.user, user=target, password=form.cleaned_data["password1"])
    except services.AccountError as exc:
        return _done(request, pk, str(exc), "")
    return _done(request, pk, None, "密码已重置,该用户的已登录会话随即失效")


@require_POST
@roles_required(Role.SYSADMIN)
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    target = _changeable(request, pk)
    form = DeactivateForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.deactivate_user(actor=request.user, user=target, reason=reason)
    except services.AccountError as exc:
        return _done(request, pk, str(exc), "")
    return _done(request, pk, None, "账号已停用")
