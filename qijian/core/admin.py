"""The Django admin: reference data only, for the system administrator, every write audited.

This is the ONE place where writes use the ORM directly instead of a service function: Django's
admin saves the instance itself. ``AuditedAdminMixin`` keeps the house rule's substance by writing
the audit event in the same transaction as the save or delete. Only ``sysadmin`` users with
``is_staff`` reach the admin; every other role gets the admin's login refusal.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import Form
from django.http import HttpRequest

from qijian.accounts.choices import Role
from qijian.audit.services import record_event, snapshot

admin.site.site_header = "企检 · 基础数据管理"
admin.site.site_title = "企检管理后台"
admin.site.index_title = "基础数据"


def is_admin_user(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "role", None) == Role.SYSADMIN)


admin.site.has_permission = is_admin_user  # type: ignore[method-assign]


class SysadminOnlyMixin:
    """The admin's permissions come from the role, not from Django's per-model permission rows."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_admin_user(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin_user(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin_user(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin_user(request)


class AuditedAdminMixin(SysadminOnlyMixin):
    """Admin writes: save or delete plus one audit event (admin.add / admin.change / admin.delete)."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Form, change: bool) -> None:
        with transaction.atomic():
            before = self._stored_snapshot(obj) if change else None
            obj.save()
            action = "admin.change" if change else "admin.add"
            record_event(actor=request.user, action=action, target=obj, before=before, after=snapshot(obj))

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            before = snapshot(obj)
            record_event(actor=request.user, action="admin.delete", target=obj, before=before)
            obj.delete()

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    @staticmethod
    def _stored_snapshot(obj: models.Model) -> dict[str, Any] | None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first()
        return snapshot(stored) if stored is not None else None


class ReadOnlyAdminMixin(SysadminOnlyMixin):
    """Records that change only through services and imports: visible in the admin, never edited there."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
