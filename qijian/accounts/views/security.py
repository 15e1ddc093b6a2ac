"""安全管理 (secadmin): lock-outs with unlock, two-factor status with reset, the security settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from qijian.accounts import services
from qijian.accounts.choices import Role
from qijian.accounts.queries import locked_out_attempts, security_settings, two_factor_status, users_for
from qijian.accounts.views import roles_required

PAGE_SIZE = 25


@roles_required(Role.SECADMIN)
def security_home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:64]
    page = Paginator(two_factor_status(request.user, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "locked": list(locked_out_attempts()[:200]),
        "page": page,
        "q": q,
        "settings_rows": security_settings(),
    }
    return render(request, "accounts/security.html", context)


@require_POST
@roles_required(Role.SECADMIN)
def unlock(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "").strip()
    if not username:
        messages.error(request, "请指定要解锁的用户名")
    else:
        cleared = services.unlock_user(actor=request.user, username=username)
        messages.success(request, f"已解锁 {username}(清除 {cleared} 条失败记录)")
    return redirect("accounts:security")


@require_POST
@roles_required(Role.SECADMIN)
def reset_totp(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(two_factor_status(request.user), pk=pk)
    try:
        services.reset_totp(actor=request.user, user=target)
    except services.AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已重置 {target.username} 的动态口令,该用户下次登录时需重新绑定")
    return redirect("accounts:security")


@require_POST
@roles_required(Role.SECADMIN)
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(users_for(request.user), pk=pk)
    removed = services.revoke_api_token(actor=request.user, user=target)  # type: ignore[arg-type]
    name = target.username
    messages.success(request, f"已吊销 {name} 的 API 令牌" if removed else f"{name} 没有 API 令牌")
    return redirect("accounts:security")
