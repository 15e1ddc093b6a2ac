"""REST API of referrals (纪检监察移送): scoped list/retrieve, propose, approve, reject, the packet PDF.

Office and supervisor read every referral and act on them; discipline reads approved referrals and
downloads their packets (each download audited). See docs/referrals.md.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from qijian.accounts.choices import Role
from qijian.core.api import role_permission
from qijian.core.api_views import MAX_ID, IdFilter, ScopedViewSet
from qijian.core.models import VIEW
from qijian.oversight import referral_queries
from qijian.oversight import referrals as services
from qijian.oversight.choices import ReferralStatus
from qijian.oversight.models import Alert, Referral

PARTIES = frozenset({Role.OFFICE, Role.SUPERVISOR})
ReferralPermission = role_permission("ReferralPermission", read=PARTIES | {Role.DISCIPLINE}, write=PARTIES)


def _name(field: str, label: str) -> serializers.CharField:
    return serializers.CharField(source=field, read_only=True, default=None, allow_null=True, label=label)


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    department_name = _name("department.name", "涉及部门名称")
    enterprise_name = _name("enterprise.name", "涉及企业名称")
    complaint_number = _name("complaint.number", "投诉编号")
    proposed_by_name = _name("proposed_by.username", "提出人账号")
    office_approved_by_name = _name("office_approved_by.username", "办公室审批人账号")
    supervisor_approved_by_name = _name("supervisor_approved_by.username", "司法局审批人账号")

    class Meta:
        model = Referral
        fields = [
            "id",
            "number",
            "status",
            "alert",
            "complaint",
            "complaint_number",
            "department",
            "department_name",
            "enterprise",
            "enterprise_name",
            "reason",
            "proposed_by_name",
            "proposed_at",
            "office_approved_by_name",
            "office_approved_at",
            "supervisor_approved_by_name",
            "supervisor_approved_at",
            "rejected_at",
            "rejection_reason",
            "packet_sha256",
            "received_at",
        ]
        read_only_fields = fields


def _id_field(label: str) -> serializers.IntegerField:
    return serializers.IntegerField(label=label, required=False, allow_null=True, min_value=1, max_value=MAX_ID)


class ReferralProposeSerializer(serializers.Serializer[Any]):
    alert = _id_field("来源预警编号")
    complaint = _id_field("来源投诉编号")
    reason = serializers.CharField(label="移送理由", max_length=services.REASON_MAX)

    def _visible(self, model: Any, pk: int | None, label: str) -> Any:
        if pk is None:
            return None
        found = model.objects.restrict(self.context["request"].user, VIEW).filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError(f"{label}不存在或不在您的可见范围内。")
        return found

    def validate_alert(self, value: int | None) -> Alert | None:
        return self._visible(Alert, value, "预警")  # type: ignore[no-any-return]

    def validate_complaint(self, value: int | None) -> Any:
        from qijian.evaluations.models import Complaint

        return self._visible(Complaint, value, "投诉举报")


class ReferralRejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(label="不予移送的理由", max_length=services.REASON_MAX)


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, label="状态")
    department = IdFilter(field_name="department_id", label="部门编号")
    alert = IdFilter(field_name="alert_id", label="预警编号")
    complaint = IdFilter(field_name="complaint_id", label="投诉编号")

    class Meta:
        model = Referral
        fields = ["status", "department", "alert", "complaint"]


def _refused(exc: services.ReferralError) -> serializers.ValidationError:
    return serializers.ValidationError({"detail": str(exc)})


@extend_schema_view(
    list=extend_schema(summary="纪检监察移送列表(纪检监察只见已批准的)"),
    retrieve=extend_schema(summary="纪检监察移送详情"),
    create=extend_schema(
        summary="提请移送纪检监察(联席会议办公室或县司法局)",
        request=ReferralProposeSerializer,
        responses={201: ReferralSerializer},
    ),
    approve=extend_schema(summary="审批移送(办公室、司法局各一人;第二人批准时生成证据材料包)", request=None),
    reject=extend_schema(summary="不予移送", request=ReferralRejectSerializer),
    packet=extend_schema(
        summary="下载证据材料包 PDF(记入审计日志)", responses={(200, "application/pdf"): OpenApiTypes.BINARY}
    ),
)
class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    """Referrals to discipline inspection; discipline sees approved ones only."""

    model = Referral
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    permission_classes = [ReferralPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related(*referral_queries.DETAIL_RELATED)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = ReferralProposeSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        try:
            referral = services.propose_referral(actor=request.user, **body.validated_data)
        except services.ReferralError as exc:
            raise _refused(exc) from exc
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request: Request, pk: str | None = None) -> Response:
        try:
            referral = services.approve_referral(actor=request.user, referral=self.get_object())
        except services.ReferralError as exc:
            raise _refused(exc) from exc
        return Response(ReferralSerializer(referral).data)

    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request: Request, pk: str | None = None) -> Response:
        body = ReferralRejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            referral = services.reject_referral(
                actor=request.user, referral=self.get_object(), reason=body.validated_data["reason"]
            )
        except services.ReferralError as exc:
            raise _refused(exc) from exc
        return Response(ReferralSerializer(referral).data)

    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def packet(self, request: Request, pk: str | None = None) -> FileResponse:
        referral = self.get_object()
        try:
            services.record_packet_read(actor=request.user, referral=referral)
        except services.ReferralError as exc:
            raise NotFound(str(exc)) from exc
        response = FileResponse(referral.packet.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="qijian-referral-{referral.number}.pdf"'
        return response


def register(router: BaseRouter) -> None:
    """Register the referral viewset on the API router."""
    router.register("referrals", ReferralViewSet, basename="referral")
