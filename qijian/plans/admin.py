"""Read-only admin views of plans, entries and work reports: every write goes through the audited services."""

from __future__ import annotations

from django.contrib import admin

from qijian.core.admin import ReadOnlyAdminMixin
from qijian.plans.models import Plan, PlanEntry, WorkReport


class PlanEntryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PlanEntry
    extra = 0
    can_delete = False
    fields = ("item", "mode", "window_start", "window_end", "joint", "expected_count", "level", "completion")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["department", "kind", "year", "quarter", "status", "late", "submitted_at", "approved_at"]
    list_filter = ["kind", "status", "late", "year", "quarter"]
    search_fields = ["department__name"]
    list_select_related = ["department"]
    inlines = [PlanEntryInline]


@admin.register(PlanEntry)
class PlanEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["plan", "item", "mode", "window_start", "window_end", "joint", "expected_count", "completion"]
    list_filter = ["mode", "joint", "level", "completion"]
    list_select_related = ["plan__department", "item"]


@admin.register(WorkReport)
class WorkReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["department", "year", "quarter", "submitted_at", "late"]
    list_filter = ["year", "quarter", "late"]
    list_select_related = ["department"]
