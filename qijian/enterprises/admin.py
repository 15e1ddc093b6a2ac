"""Admin for industries (audited reference data) and a read-only view of enterprises."""

from __future__ import annotations

from django.contrib import admin

from qijian.core.admin import AuditedAdminMixin, ReadOnlyAdminMixin
from qijian.enterprises.models import Enterprise, Industry


@admin.register(Industry)
class IndustryAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Enterprises change through services and imports; a million rows: no COUNT(*) per page."""

    list_display = ["uscc", "name", "township", "grade", "status", "uscc_status"]
    list_filter = ["grade", "status", "uscc_status"]
    search_fields = ["=uscc", "name"]
    list_select_related = ["township"]
    show_full_result_count = False
    raw_id_fields = ["industry", "township"]
