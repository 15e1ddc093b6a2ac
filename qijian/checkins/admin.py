"""Read-only admin of check-ins and their attachments: rows change only through the audited services."""

from __future__ import annotations

from django.contrib import admin

from qijian.checkins.models import Attachment, CheckIn
from qijian.core.admin import ReadOnlyAdminMixin


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["scanned_at", "enterprise", "inspector", "filing", "unfiled", "status", "result", "source"]
    list_filter = ["unfiled", "status", "result", "source"]
    search_fields = ["idempotency_key", "enterprise__name", "enterprise__uscc", "inspector__certificate_no"]
    list_select_related = ["enterprise", "inspector", "filing"]
    date_hierarchy = "scanned_at"


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "checkin", "content_type", "size", "sha256", "uploaded_by"]
    list_filter = ["content_type"]
    search_fields = ["name", "sha256"]
    list_select_related = ["checkin__enterprise", "uploaded_by"]
