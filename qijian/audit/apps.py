from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "qijian.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from qijian.audit import checks  # noqa: F401  (registers the key checks)
        from qijian.audit.signals import ensure_guard

        post_migrate.connect(ensure_guard, sender=self, dispatch_uid="qijian_audit_guard")
