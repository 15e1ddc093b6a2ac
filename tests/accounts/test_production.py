"""Production settings: check --deploy, CSP, secure cookies, Argon2 first, UTC logs."""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

from qijian.core.logging import UTCFormatter

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QJ_")}
    env.update(
        QJ_SECRET_KEY=secrets.token_urlsafe(64),
        QJ_SECURE_TLS="1",
        QJ_ALLOWED_HOSTS="qijian.cangxian.gov.cn",
        QJ_AUDIT_KEY_ID="k1",
        QJ_AUDIT_KEYS=f"k1:{secrets.token_hex(32)}",
        DJANGO_SETTINGS_MODULE="qijian.settings",
    )
    env.update(extra)
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (fixed argv)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_check_deploy_reports_nothing_with_production_settings() -> None:
    result = _run(_production_env(), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_check_deploy_without_tls_has_only_the_documented_warnings() -> None:
    """Over plain HTTP (a lab install) the TLS-only warnings remain, as docs/security.md says; no errors."""
    result = _run(_production_env(QJ_SECURE_TLS="0"), "check", "--deploy")
    assert result.returncode == 0, result.stderr
    found = {code for code in ("W004", "W008", "W012", "W016") if f"security.{code}" in result.stdout + result.stderr}
    assert found == {"W004", "W008", "W012", "W016"}
    assert "ERROR" not in result.stderr


def test_production_settings_refuse_missing_secret_key_and_hash_with_argon2() -> None:
    env = _production_env()
    del env["QJ_SECRET_KEY"]
    assert _run(env, "check").returncode != 0
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.PASSWORD_HASHERS[0], settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
    )
    out = subprocess.run(  # noqa: S603 (fixed argv)
        [sys.executable, "-c", code], cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120
    ).stdout.split()
    assert out == ["django.contrib.auth.hashers.Argon2PasswordHasher", "True", "True"]


def test_pages_carry_a_strict_content_security_policy(client: Client) -> None:
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
    assert "unsafe-inline" not in directives.get("style-src", "")
    assert directives["frame-ancestors"] == "'none'"


def test_login_page_has_no_inline_script_or_style(client: Client) -> None:
    body = client.get("/accounts/login/").content.decode()
    assert "<script>" not in body and "style=" not in body and "<style" not in body
    assert 'name="viewport"' in body


def test_cookies_are_secure_when_served_over_tls(settings, county) -> None:
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client = Client()
    response = client.post("/accounts/login/", {"username": county.user("inspector").username, "password": "x"})
    response = client.get("/accounts/login/")
    cookie = client.cookies["csrftoken"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert response.status_code == 200


def test_log_time_is_utc_with_z_suffix() -> None:
    formatter = UTCFormatter("%(asctime)s %(message)s")
    record = logging.LogRecord("qijian", logging.INFO, __file__, 1, "hello", None, None)
    record.created, record.msecs = 0.25, 250.0
    assert formatter.format(record) == "1970-01-01T00:00:00.250Z hello"
