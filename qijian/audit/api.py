"""REST API of the audit trail: read-only, for the security auditor alone."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from qijian.accounts.choices import Role
from qijian.audit.models import AuditEvent
from qijian.core.api import KeysetPagination, role_permission
from qijian.core.api_views import IdFilter, ScopedViewSet, UtcDateTimeFilter

AuditPermission = role_permission("AuditPermission", read={Role.AUDITOR})


class NewestFirst(KeysetPagination):
    ordering = "-seq"


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    before = serializers.JSONField(read_only=True, allow_null=True, label="变更前")
    after = serializers.JSONField(read_only=True, allow_null=True, label="变更后")

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "seq",
            "occurred_at",
            "actor",
            "actor_repr",
            "action",
            "target_type",
            "target_id",
            "target_repr",
            "before",
            "after",
            "request_id",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(label="操作(如 enterprises.register)", max_length=64)
    target_type = django_filters.CharFilter(label="对象类型(如 enterprises.enterprise)", max_length=64)
    target_id = django_filters.CharFilter(label="对象编号", max_length=64)
    actor = IdFilter(field_name="actor_id", label="操作人编号")
    request_id = django_filters.CharFilter(label="请求编号", max_length=64)
    since = UtcDateTimeFilter(field_name="occurred_at", lookup_expr="gte", label="起始时间(含)")
    until = UtcDateTimeFilter(field_name="occurred_at", lookup_expr="lt", label="截止时间(不含)")

    class Meta:
        model = AuditEvent
        fields = ["action", "target_type", "target_id", "actor", "request_id", "since", "until"]


@extend_schema_view(list=extend_schema(summary="审计事件列表"), retrieve=extend_schema(summary="审计事件详情"))
class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The hash-chained audit events, newest first. Nothing here can change them."""

    model = AuditEvent
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    pagination_class = NewestFirst
    permission_classes = [AuditPermission]
