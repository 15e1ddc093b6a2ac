"""System checks for the checkpoint keys."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from qijian.audit.keys import key_ring, keys_derived


@checks.register(checks.Tags.security)
def check_audit_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        key_ring()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="qijian.audit.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_audit_keys_deploy(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if keys_derived():
        hint = "生产环境请设置 QJ_AUDIT_KEYS(编号:十六进制密钥)和 QJ_AUDIT_KEY_ID,见 docs/audit.md"
        return [checks.Warning("审计检查点密钥由 SECRET_KEY 派生", hint=hint, id="qijian.audit.W001")]
    return []
