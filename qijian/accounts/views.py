"""Sign-in, two-factor verification and sign-out."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class TokenForm(forms.Form):
    token = forms.RegexField(label="动态验证码", regex=r"^\d{6}$", error_messages={"invalid": "请输入 6 位数字验证码"})


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect("core:home")
        form.add_error("token", "验证码不正确或已过期")
    if not devices:
        messages.error(request, "您的角色需要双因素认证,但尚未绑定动态口令设备,请联系安全管理员。")
    return render(request, "accounts/two_factor.html", {"form": form, "has_device": bool(devices)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)  # flushes the session row server-side
    return redirect("accounts:login")
