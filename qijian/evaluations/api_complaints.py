"""REST API of complaints (/api/v1/complaints/): scoped list and detail; create (office and 司法局 register a
complaint, an enterprise user complains about one of its own inspections); accept, reply, reject (staff)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from qijian.accounts.choices import Role
from qijian.accounts.models import User
from qijian.checkins.models import CheckIn
from qijian.core.api import role_permission
from qijian.core.api_views import IdFilter, ScopedViewSet
from qijian.enterprises.models import Enterprise
from qijian.evaluations.choices import ComplaintFeedback, ComplaintSource, ComplaintStatus
from qijian.evaluations.models import Complaint
from qijian.evaluations.queries.complaints import overdue_q
from qijian.evaluations.services import complaints as services
from qijian.inspections.models import Filing
from qijian.org.models import Department

STAFF = frozenset({Role.OFFICE, Role.SUPERVISOR})
ComplaintPermission = role_permission(
    "ComplaintPermission", read=STAFF | {Role.ENTERPRISE}, write=STAFF | {Role.ENTERPRISE}
)


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    enterprise_name = serializers.CharField(
        source="enterprise.name", read_only=True, default=None, allow_null=True, label="企业名称"
    )
    department_name = serializers.CharField(
        source="department.name", read_only=True, default=None, allow_null=True, label="部门名称"
    )
    filing_number = serializers.CharField(
        source="filing.number", read_only=True, default=None, allow_null=True, label="报备编号"
    )
    feedback = serializers.ChoiceField(
        choices=ComplaintFeedback.choices, allow_blank=True, read_only=True, label="反馈方式(未反馈为空)"
    )
    handler_name = serializers.CharField(
        source="handler.username", read_only=True, default=None, allow_null=True, label="承办人用户名"
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "source",
            "external_id",
            "received_at",
            "complainant",
            "contact",
            "enterprise",
            "enterprise_name",
            "department",
            "department_name",
            "filing",
            "filing_number",
            "checkin",
            "summary",
            "status",
            "accept_due",
            "reply_due",
            "handler",
            "handler_name",
            "accepted_at",
            "outcome",
            "replied_at",
            "feedback",
        ]
        read_only_fields = fields


class ComplaintCreateSerializer(serializers.Serializer[Any]):
    """Staff fill what they know; an enterprise user names a filing or check-in of its own (the enterprise
    and department follow from it; ``complainant``, ``enterprise`` and ``department`` are then refused)."""

    summary = serializers.CharField(label="投诉内容", max_length=services.SUMMARY_LIMIT)
    complainant = serializers.CharField(label="投诉人", max_length=100, required=False, allow_blank=True)
    contact = serializers.CharField(label="联系方式", max_length=200, required=False, allow_blank=True)
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, allow_null=True, label="企业"
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True, label="被投诉部门"
    )
    filing = serializers.PrimaryKeyRelatedField(
        queryset=Filing.objects.all(), required=False, allow_null=True, label="报备"
    )
    checkin = serializers.PrimaryKeyRelatedField(
        queryset=CheckIn.objects.all(), required=False, allow_null=True, label="入企扫码记录"
    )


class AcceptSerializer(serializers.Serializer[Any]):
    handler = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.SUPERVISOR, is_active=True), label="承办人(县司法局用户)"
    )


class ReplySerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField(label="办理结果", max_length=services.OUTCOME_LIMIT)


class RejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(label="不予受理理由", max_length=services.OUTCOME_LIMIT)


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ComplaintStatus.choices, label="状态")
    source = django_filters.ChoiceFilter(choices=ComplaintSource.choices, label="来源")
    department = IdFilter(field_name="department_id", label="部门编号")
    enterprise = IdFilter(field_name="enterprise_id", label="企业编号")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="超期未办")

    class Meta:
        model = Complaint
        fields = ["status", "source", "department", "enterprise", "overdue"]

    def filter_overdue(self, qs: QuerySet[Complaint], name: str, value: bool | None) -> QuerySet[Complaint]:
        if value is None:
            return qs
        return qs.filter(overdue_q()) if value else qs.exclude(overdue_q())


def _create(user: Any, data: dict[str, Any]) -> Complaint:
    if user.role == Role.ENTERPRISE:
        extra = [name for name in ("complainant", "enterprise", "department") if data.get(name)]
        if extra:
            raise services.ComplaintError("企业用户无需填写投诉人、企业和部门(由所选检查带出)。")
        keys = ("summary", "contact", "filing", "checkin")
        return services.submit_complaint(actor=user, **{k: data[k] for k in keys if k in data})
    return services.register_complaint(actor=user, **data)


def _refused(exc: services.ComplaintError) -> serializers.ValidationError:
    return serializers.ValidationError({"detail": str(exc)})


@extend_schema_view(
    list=extend_schema(summary="投诉举报列表"),
    retrieve=extend_schema(summary="投诉举报详情"),
    create=extend_schema(
        summary="登记投诉(办公室、司法局)或企业在线投诉",
        request=ComplaintCreateSerializer,
        responses={201: ComplaintSerializer},
    ),
    accept=extend_schema(summary="受理投诉并指定承办人", request=AcceptSerializer),
    reply=extend_schema(summary="办结投诉并反馈投诉人", request=ReplySerializer),
    reject=extend_schema(summary="不予受理并反馈理由", request=RejectSerializer),
)
class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Complaints: the office and 司法局 read all; an enterprise user its own online complaints."""

    model = Complaint
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    permission_classes = [ComplaintPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("enterprise", "department", "filing", "handler")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = ComplaintCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            complaint = _create(request.user, dict(body.validated_data))
        except services.ComplaintError as exc:
            raise _refused(exc) from exc
        return Response(ComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED)

    def _staff_only(self, request: Request) -> Complaint:
        if getattr(request.user, "role", None) not in STAFF:
            raise PermissionDenied("只有联席会议办公室和县司法局可以办理投诉举报。")
        return self.get_object()  # type: ignore[no-any-return]

    def _handle(
        self, request: Request, body_class: type[serializers.Serializer[Any]], write: Any, field: str
    ) -> Response:
        """Staff only: check the body, call one workflow service with its field, render the complaint."""
        complaint = self._staff_only(request)
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            complaint = write(actor=request.user, complaint=complaint, **{field: body.validated_data[field]})
        except services.ComplaintError as exc:
            raise _refused(exc) from exc
        return Response(ComplaintSerializer(complaint).data)

    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._handle(request, AcceptSerializer, services.accept_complaint, "handler")

    @action(detail=True, methods=["post"], filterset_class=None)
    def reply(self, request: Request, pk: str | None = None) -> Response:
        return self._handle(request, ReplySerializer, services.reply_complaint, "outcome")

    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._handle(request, RejectSerializer, services.reject_complaint, "reason")


def register(router: BaseRouter) -> None:
    router.register("complaints", ComplaintViewSet, basename="complaint")
