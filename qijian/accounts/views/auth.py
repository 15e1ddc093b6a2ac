"""Sign-in, two-factor verification and self-enrolment, sign-out."""

from __future__ import annotations

import base64
import secrets
from base64 import b32encode
from typing import Any
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from qijian.accounts.forms import TokenForm, style
from qijian.accounts.services import AccountError, confirm_totp_enrolment, has_totp_device

_PENDING_KEY = "qj_totp_pending_key"
_ISSUER = "企检"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if ok else "/"


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    if not has_totp_device(request.user):  # type: ignore[arg-type]
        return redirect(f"{reverse('accounts:enroll_totp')}?{urlencode({'next': _next_url(request)})}")
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    form = style(TokenForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("token", "验证码不正确或已过期")
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next_url(request)})


def _qr_data_url(uri: str) -> str:
    """The provisioning URI as an SVG QR code in a data: URL (CSP allows data: images, not inline SVG styles)."""
    svg = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _provisioning_uri(username: str, key_hex: str) -> tuple[str, str]:
    secret = b32encode(bytes.fromhex(key_hex)).decode()
    label = quote(f"{_ISSUER}:{username}")
    query = urlencode({"secret": secret, "issuer": _ISSUER, "algorithm": "SHA1", "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{query}", secret


@login_required
def enroll_totp(request: HttpRequest) -> HttpResponse:
    """A user without a device binds one: scan the QR code (or type the secret), then confirm with a code."""
    if has_totp_device(request.user):  # type: ignore[arg-type]
        return redirect("accounts:two_factor")
    key_hex = request.session.setdefault(_PENDING_KEY, secrets.token_hex(20))
    form = style(TokenForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            device = confirm_totp_enrolment(actor=request.user, key_hex=key_hex, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        except AccountError as exc:
            form.add_error("token", str(exc))
        else:
            request.session.pop(_PENDING_KEY, None)
            otp_login(request, device)
            return redirect(_next_url(request))
    uri, secret = _provisioning_uri(request.user.get_username(), key_hex)
    spaced = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    context = {"form": form, "qr": _qr_data_url(uri), "secret": spaced, "next": _next_url(request)}
    return render(request, "accounts/enroll_totp.html", context)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """Axes' lock-out response (``AXES_LOCKOUT_CALLABLE``): a Chinese page saying why and for how long."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username": (credentials or {}).get("username") or request.POST.get("username", ""),
        "cooloff_minutes": round(float(settings.AXES_COOLOFF_TIME) * 60),
    }
    return render(request, "accounts/locked_out.html", context, status=429)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)  # deletes the session row server-side
    return redirect("accounts:login")
