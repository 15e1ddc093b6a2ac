"""我的账号: every user sees their own role and department, changes their password, manages their API token."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from qijian.accounts import services
from qijian.accounts.forms import OwnPasswordForm, style
from qijian.accounts.models import User


def _me(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = style(OwnPasswordForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_own_password(actor=me, old_password=data["old_password"], new_password=data["password1"])
        except services.AccountError as exc:
            form.add_error(None, str(exc))
        else:
            update_session_auth_hash(request, me)  # this session stays signed in; the others end
            messages.success(request, "密码已修改")
            return redirect("accounts:me")
    context = {
        "form": form,
        "has_totp": services.has_totp_device(me),
        "has_token": Token.objects.filter(user=me).exists(),
        "new_token": request.session.pop("qj_new_token", ""),
    }
    return render(request, "accounts/my_account.html", context)


@require_POST
@login_required
def issue_token(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    try:
        request.session["qj_new_token"] = services.issue_api_token(actor=me, user=me)
    except services.AccountError as exc:
        messages.error(request, str(exc))
    return redirect("accounts:me")


@require_POST
@login_required
def revoke_token(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    services.revoke_api_token(actor=me, user=me)
    messages.success(request, "API 令牌已吊销")
    return redirect("accounts:me")
