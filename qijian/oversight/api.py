"""REST API of oversight alerts: scoped list/detail; acknowledge and resolve (office only)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qijian.accounts.choices import OVERSEERS, Role
from qijian.core.api import role_permission
from qijian.core.api_views import IdFilter, ScopedViewSet, UtcDateTimeFilter
from qijian.oversight import services
from qijian.oversight.choices import AlertStatus, RuleId, Severity
from qijian.oversight.models import Alert

AlertPermission = role_permission("AlertPermission", read=OVERSEERS | {Role.DEPT_ADMIN}, write=frozenset({Role.OFFICE}))


class AlertSerializer(serializers.ModelSerializer[Alert]):
    department_name = serializers.CharField(
        source="department.name", read_only=True, default=None, allow_null=True, label="部门名称"
    )
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, default=None, allow_null=True, label="企业名称"
    )
    filing_number = serializers.CharField(
        source="filing.number", read_only=True, default=None, allow_null=True, label="报备编号"
    )

    class Meta:
        model = Alert
        fields = [
            "id",
            "rule",
            "severity",
            "status",
            "raised_at",
            "message",
            "policy_source",
            "facts",
            "referral_candidate",
            "department",
            "department_name",
            "enterprise",
            "enterprise_name",
            "filing",
            "filing_number",
            "plan",
            "acknowledged_at",
            "resolved_at",
            "resolution",
        ]
        read_only_fields = fields


class ResolveSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(label="处理意见", max_length=2000)


class AlertFilter(django_filters.FilterSet):
    rule = django_filters.ChoiceFilter(choices=RuleId.choices, label="规则")
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label="严重程度")
    status = django_filters.ChoiceFilter(choices=AlertStatus.choices, label="状态")
    department = IdFilter(field_name="department_id", label="部门编号")
    enterprise = IdFilter(field_name="enterprise_id", label="企业编号")
    referral_candidate = django_filters.BooleanFilter(label="移送纪检监察候选")
    raised_after = UtcDateTimeFilter(field_name="raised_at", lookup_expr="gte", label="发生时间不早于")
    raised_before = UtcDateTimeFilter(field_name="raised_at", lookup_expr="lt", label="发生时间早于")

    class Meta:
        model = Alert
        fields = [
            "rule",
            "severity",
            "status",
            "department",
            "enterprise",
            "referral_candidate",
            "raised_after",
            "raised_before",
        ]


def _done(alert: Alert) -> Response:
    return Response(AlertSerializer(alert).data)


@extend_schema_view(
    list=extend_schema(summary="监督预警列表"),
    retrieve=extend_schema(summary="监督预警详情"),
    acknowledge=extend_schema(summary="确认预警(联席会议办公室)", request=None),
    resolve=extend_schema(summary="办结预警(联席会议办公室)", request=ResolveSerializer),
)
class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Alerts raised by the oversight rules; a department admin sees its own department's."""

    model = Alert
    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    permission_classes = [AlertPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("department", "enterprise", "filing")

    @action(detail=True, methods=["post"], filterset_class=None)
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        try:
            alert = services.acknowledge_alert(actor=request.user, alert=self.get_object())
        except services.AlertError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        return _done(alert)

    @action(detail=True, methods=["post"], filterset_class=None)
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            alert = services.resolve_alert(
                actor=request.user, alert=self.get_object(), comment=body.validated_data["comment"]
            )
        except services.AlertError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        return _done(alert)
