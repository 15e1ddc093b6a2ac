"""REST API of follow-ups (回访), for the office and the supervisor.

GET /follow-ups/ (filters: status, overdue, department, mine), GET /follow-ups/{id}/,
POST /follow-ups/{id}/record/ {method, findings} (a supervisor; once), POST /follow-ups/{id}/assign/
{assignee} (the office or a supervisor; an active supervisor-role user). A refusal is a 400 whose
``detail`` is the service's Chinese message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from qijian.accounts.choices import Role
from qijian.accounts.models import User
from qijian.core.api import role_permission
from qijian.core.api_views import IdFilter, ScopedViewSet
from qijian.core.calendar import local_today
from qijian.evaluations.choices import FollowUpMethod, FollowUpStatus
from qijian.evaluations.models import FollowUp
from qijian.evaluations.queries import followups as queries
from qijian.evaluations.services import followups as services

READERS = frozenset({Role.OFFICE, Role.SUPERVISOR})
FollowUpPermission = role_permission("FollowUpPermission", read=READERS, write=READERS)
RecordPermission = role_permission("FollowUpRecordPermission", read=READERS, write=frozenset({Role.SUPERVISOR}))


class FollowUpSerializer(serializers.ModelSerializer[FollowUp]):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, label="企业名称")
    department_name = serializers.CharField(source="department.name", read_only=True, label="检查部门名称")
    filing_number = serializers.CharField(
        source="filing.number", read_only=True, default=None, allow_null=True, label="报备编号"
    )
    assigned_to_name = serializers.SerializerMethodField(label="回访人姓名")
    overdue = serializers.SerializerMethodField(label="是否逾期未回访")
    done_late = serializers.BooleanField(read_only=True, label="是否逾期完成")
    method = serializers.ChoiceField(
        choices=[("", "尚未回访"), *FollowUpMethod.choices], read_only=True, label="回访方式(未回访时为空)"
    )

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "checkin",
            "filing",
            "filing_number",
            "enterprise",
            "enterprise_name",
            "department",
            "department_name",
            "inspected_on",
            "due_on",
            "status",
            "overdue",
            "assigned_to",
            "assigned_to_name",
            "reminded_at",
            "method",
            "findings",
            "done_at",
            "done_by",
            "done_late",
        ]
        read_only_fields = fields

    def get_assigned_to_name(self, row: FollowUp) -> str | None:
        user = row.assigned_to
        return (user.get_full_name() or user.username) if user is not None else None

    def get_overdue(self, row: FollowUp) -> bool:
        return row.overdue_on(local_today())


class FollowUpRecordBody(serializers.Serializer[Any]):
    method = serializers.ChoiceField(choices=FollowUpMethod.choices, label="回访方式")
    findings = serializers.CharField(max_length=services.FINDINGS_MAX, label="回访情况")


class FollowUpAssignBody(serializers.Serializer[Any]):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.SUPERVISOR, is_active=True),
        label="回访人(在岗的县司法局执法监督人员)",
        error_messages={"does_not_exist": "回访人须为在岗的县司法局执法监督人员。"},
    )


class FollowUpFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=FollowUpStatus.choices, label="状态")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="是否逾期未回访")
    department = IdFilter(field_name="department_id", label="检查部门编号")
    enterprise = IdFilter(field_name="enterprise_id", label="企业编号")
    mine = django_filters.BooleanFilter(method="filter_mine", label="仅分派给我的")

    class Meta:
        model = FollowUp
        fields = ["status", "overdue", "department", "enterprise", "mine"]

    def filter_overdue(self, qs: QuerySet[FollowUp], name: str, value: bool) -> QuerySet[FollowUp]:
        return queries.overdue(qs) if value else queries.not_overdue(qs)

    def filter_mine(self, qs: QuerySet[FollowUp], name: str, value: bool) -> QuerySet[FollowUp]:
        user = getattr(self.request, "user", None)
        return qs.filter(assigned_to_id=getattr(user, "pk", None)) if value else qs


def _call(service: Callable[..., FollowUp], **kwargs: Any) -> FollowUp:
    try:
        return service(**kwargs)
    except services.FollowUpError as exc:
        raise serializers.ValidationError({"detail": str(exc)}) from exc


@extend_schema_view(
    list=extend_schema(summary="回访列表(联席会议办公室、县司法局)"),
    retrieve=extend_schema(summary="回访详情"),
    record=extend_schema(
        summary="登记回访情况(县司法局)", request=FollowUpRecordBody, responses={200: FollowUpSerializer}
    ),
    assign=extend_schema(summary="改派回访人", request=FollowUpAssignBody, responses={200: FollowUpSerializer}),
)
class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Follow-ups of finished on-site inspections; read by the office and the supervisor only."""

    model = FollowUp
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter
    permission_classes = [FollowUpPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("enterprise", "department", "filing", "assigned_to")

    def _fresh(self, pk: int) -> Response:
        return Response(FollowUpSerializer(self.tune_queryset(FollowUp.objects.filter(pk=pk)).get()).data)

    @action(detail=True, methods=["post"], filterset_class=None, permission_classes=[RecordPermission])
    def record(self, request: Request, pk: str | None = None) -> Response:
        body = FollowUpRecordBody(data=request.data)
        body.is_valid(raise_exception=True)
        row = _call(services.record_follow_up, actor=request.user, follow_up=self.get_object(), **body.validated_data)
        return self._fresh(row.pk)

    @action(detail=True, methods=["post"], filterset_class=None)
    def assign(self, request: Request, pk: str | None = None) -> Response:
        body = FollowUpAssignBody(data=request.data)
        body.is_valid(raise_exception=True)
        assignee = body.validated_data["assignee"]
        row = _call(services.assign_follow_up, actor=request.user, follow_up=self.get_object(), assignee=assignee)
        return self._fresh(row.pk)


def register(router: BaseRouter) -> None:
    router.register("follow-ups", FollowUpViewSet, basename="followup")
