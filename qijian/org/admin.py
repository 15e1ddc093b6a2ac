"""Admin for the organisation's reference data (audited writes) and read-only views of people."""

from __future__ import annotations

from django.contrib import admin

from qijian.core.admin import AuditedAdminMixin, ReadOnlyAdminMixin
from qijian.org.models import Conflict, Department, EnforcementPlatform, Inspector, Region


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


class PlatformInline(admin.TabularInline):  # type: ignore[type-arg]
    model = EnforcementPlatform
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # platforms are added through their own audited admin page

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Department)
class DepartmentAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "level", "region", "high_frequency", "is_enforcement"]
    list_filter = ["level", "high_frequency", "is_enforcement"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "parent"]
    inlines = [PlatformInline]


@admin.register(EnforcementPlatform)
class EnforcementPlatformAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "department", "level", "purposes", "checkin_connected"]
    list_filter = ["level", "checkin_connected"]
    search_fields = ["name", "department__name"]
    list_select_related = ["department"]
    autocomplete_fields = ["department"]


@admin.register(Inspector)
class InspectorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["certificate_no", "name", "department", "status", "certificate_valid_until"]
    list_filter = ["status"]
    search_fields = ["certificate_no", "name"]
    list_select_related = ["department"]


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["inspector", "enterprise", "reason", "declared_on"]
    list_select_related = ["inspector", "enterprise"]
