"""REST API of filings: scoped list/detail; planned and urgent filings, amendments and cancellations
go through the same services as the pages (a refused filing is a 400 with the Chinese message)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qijian.accounts.choices import OVERSEERS, Role
from qijian.catalog.choices import InspectionMethod
from qijian.catalog.models import CatalogItem
from qijian.core.api import role_permission
from qijian.core.api_views import MAX_UTC_OFFSET, IdFilter, ScopedViewSet, UtcDateTimeFilter
from qijian.core.models import CHANGE, VIEW
from qijian.enterprises.models import Enterprise
from qijian.inspections import services
from qijian.inspections.choices import FilingKind, FilingStatus, UrgentReason
from qijian.inspections.models import Filing
from qijian.org.models import Inspector

FilingPermission = role_permission(
    "FilingPermission",
    read=OVERSEERS | {Role.DEPT_ADMIN, Role.INSPECTOR, Role.ENTERPRISE},
    write=frozenset({Role.DEPT_ADMIN}),
)


# --- read serializers ------------------------------------------------------------------------------


class FilingEnterpriseSerializer(serializers.ModelSerializer[Enterprise]):
    class Meta:
        model = Enterprise
        fields = ["id", "uscc", "name"]


class FilingInspectorSerializer(serializers.ModelSerializer[Inspector]):
    class Meta:
        model = Inspector
        fields = ["id", "name", "certificate_no", "department"]


class FilingSerializer(serializers.ModelSerializer[Filing]):
    department_name = serializers.CharField(source="department.name", read_only=True, label="报备部门名称")
    item_code = serializers.CharField(source="item.code", read_only=True, label="事项编码")
    item_name = serializers.CharField(source="item.name", read_only=True, label="检查事项")
    enterprises = FilingEnterpriseSerializer(many=True, read_only=True, label="检查对象")
    inspectors = FilingInspectorSerializer(many=True, read_only=True, label="执法人员")
    urgent_reason = serializers.CharField(
        read_only=True,
        label="紧急检查事由",
        help_text="emergency/superior_order/complaint/media/statutory;计划内报备为空",
    )

    class Meta:
        model = Filing
        fields = [
            "id",
            "number",
            "department",
            "department_name",
            "kind",
            "status",
            "plan_entry",
            "item",
            "item_code",
            "item_name",
            "urgent_reason",
            "reason_detail",
            "method",
            "joint",
            "enterprises",
            "inspectors",
            "window_start",
            "window_end",
            "filed_at",
            "supersedes",
            "superior_department",
            "acceptance_of",
            "cancelled_at",
            "cancel_reason",
            "township_notified_at",
            "office_notified_at",
        ]
        read_only_fields = fields


# --- request bodies ----------------------------------------------------------------------------------


class UtcDateTime(serializers.DateTimeField):
    """An ISO 8601 instant with a real-world offset (at most ±14:00), converted to UTC."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        parsed: dt.datetime = super().to_internal_value(value)
        offset = parsed.utcoffset()
        try:
            if offset is not None and abs(offset) > MAX_UTC_OFFSET:
                raise OverflowError
            return parsed.astimezone(dt.UTC)
        except OverflowError as exc:
            raise serializers.ValidationError("时间或时区偏移超出范围") from exc


class CodeList(serializers.ListField):
    """A list of codes whose item errors read "第N项:…" (a flat list, as the error schema documents)."""

    def run_child_validation(self, data: Any) -> Any:
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as exc:
            detail: Any = exc.detail
            items = detail.items() if isinstance(detail, dict) else [(-1, detail)]
            raise serializers.ValidationError([f"第{int(k) + 1}项:{m}" for k, msgs in items for m in msgs]) from exc


def _codes(label: str, help_text: str, required: bool = True) -> serializers.ListField:
    return CodeList(
        child=serializers.CharField(max_length=32), label=label, help_text=help_text, required=required, max_length=200
    )


def _enterprises(required: bool = True) -> serializers.ListField:
    return _codes("检查对象", "企业统一社会信用代码列表", required)


def _inspectors(required: bool = True) -> serializers.ListField:
    return _codes("执法人员", "执法证号列表", required)


class PlannedFilingBody(serializers.Serializer[Any]):
    entry = serializers.IntegerField(label="计划条目编号", min_value=1, max_value=2**63 - 1)
    enterprises = _enterprises()
    inspectors = _inspectors()
    window_start = UtcDateTime(label="检查开始时间")
    window_end = UtcDateTime(label="检查结束时间")
    method = serializers.ChoiceField(choices=InspectionMethod.choices, required=False, label="检查方式")


class UrgentFilingBody(serializers.Serializer[Any]):
    item = serializers.IntegerField(label="检查事项编号", min_value=1, max_value=2**63 - 1)
    reason = serializers.ChoiceField(choices=UrgentReason.choices, label="紧急检查事由")
    reason_detail = serializers.CharField(label="事由说明", max_length=2000)
    enterprises = _enterprises()
    inspectors = _inspectors()
    window_end = UtcDateTime(label="检查结束时间")
    method = serializers.ChoiceField(
        choices=InspectionMethod.choices, default=InspectionMethod.ONSITE, label="检查方式"
    )
    start = UtcDateTime(
        required=False,
        label="检查开始时间",
        help_text="可不填(即报备时刻);早于服务器当前时间视为事后报备,予以拒绝并预警",
    )


class AmendFilingBody(serializers.Serializer[Any]):
    enterprises = _enterprises(required=False)
    inspectors = _inspectors(required=False)
    window_end = UtcDateTime(required=False, label="检查结束时间")
    reason = serializers.CharField(label="变更原因", max_length=255)


class CancelFilingBody(serializers.Serializer[Any]):
    reason = serializers.CharField(label="撤销原因", max_length=255)


# --- filters ----------------------------------------------------------------------------------------


class FilingFilter(django_filters.FilterSet):
    department = IdFilter(field_name="department_id", label="报备部门编号")
    kind = django_filters.ChoiceFilter(choices=FilingKind.choices, label="报备类型")
    status = django_filters.ChoiceFilter(choices=FilingStatus.choices, label="状态")
    enterprise = IdFilter(method="filter_enterprise", label="企业编号")
    filed_after = UtcDateTimeFilter(field_name="filed_at", lookup_expr="gte", label="报备时间不早于")
    filed_before = UtcDateTimeFilter(field_name="filed_at", lookup_expr="lt", label="报备时间早于")

    class Meta:
        model = Filing
        fields = ["department", "kind", "status", "enterprise", "filed_after", "filed_before"]

    def filter_enterprise(self, qs: QuerySet[Filing], name: str, value: Any) -> QuerySet[Filing]:
        return qs.filter(pk__in=Filing.enterprises.through.objects.filter(enterprise_id=value).values("filing_id"))


# --- the viewset --------------------------------------------------------------------------------------


def _refused(exc: Exception) -> serializers.ValidationError:
    return serializers.ValidationError({"detail": str(exc)})


@extend_schema_view(
    list=extend_schema(summary="检查报备列表"),
    retrieve=extend_schema(summary="检查报备详情"),
    planned=extend_schema(summary="计划内检查报备", request=PlannedFilingBody, responses={201: FilingSerializer}),
    urgent=extend_schema(summary="紧急检查报备", request=UrgentFilingBody, responses={201: FilingSerializer}),
    amend=extend_schema(summary="变更报备", request=AmendFilingBody, responses={201: FilingSerializer}),
    cancel=extend_schema(summary="撤销报备", request=CancelFilingBody, responses={200: FilingSerializer}),
)
class FilingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Filings (报备): the office sees all; a department admin its own; an inspector its assignments;
    an enterprise its own."""

    model = Filing
    serializer_class = FilingSerializer
    filterset_class = FilingFilter
    permission_classes = [FilingPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("department", "item").prefetch_related(
            Prefetch("enterprises", queryset=Enterprise.objects.order_by("id")),
            Prefetch("inspectors", queryset=Inspector.objects.order_by("certificate_no")),
        )

    def _body(self, serializer_class: type[serializers.Serializer[Any]]) -> dict[str, Any]:
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def _created(self, call: Callable[[], Filing], code: int = status.HTTP_201_CREATED) -> Response:
        try:
            filing = call()
        except services.FilingError as exc:
            raise _refused(exc) from exc
        fresh = self.tune_queryset(Filing.objects.filter(pk=filing.pk)).get()
        return Response(FilingSerializer(fresh).data, status=code)

    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def planned(self, request: Request) -> Response:
        data = self._body(PlannedFilingBody)
        entry = _entry(request.user, data.pop("entry"))
        return self._created(lambda: services.file_planned(actor=request.user, entry=entry, **data))

    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def urgent(self, request: Request) -> Response:
        data = self._body(UrgentFilingBody)
        item = _item(request.user, data.pop("item"))
        start = data.pop("start", None)
        return self._created(lambda: services.file_urgent(actor=request.user, item=item, claimed_start=start, **data))

    @action(detail=True, methods=["post"], filterset_class=None)
    def amend(self, request: Request, pk: str | None = None) -> Response:
        filing = self.get_object()  # another department's filing is a 404 before its body is read
        data = self._body(AmendFilingBody)
        return self._created(lambda: services.amend_filing(actor=request.user, filing=filing, **data))

    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        filing = self.get_object()  # another department's filing is a 404 before its body is read
        data = self._body(CancelFilingBody)
        return self._created(
            lambda: services.cancel_filing(actor=request.user, filing=filing, **data), status.HTTP_200_OK
        )


def _entry(user: Any, pk: int) -> Any:
    from qijian.plans import queries as plan_queries

    entry = plan_queries.entry_in_scope(user, pk, CHANGE)
    if entry is None:
        raise serializers.ValidationError({"entry": ["计划条目不存在或不在您的可见范围内。"]})
    return entry


def _item(user: Any, pk: int) -> CatalogItem:
    item = CatalogItem.objects.restrict(user, VIEW).select_related("version").filter(pk=pk).first()
    if item is None:
        raise serializers.ValidationError({"item": ["检查事项不存在。"]})
    return item
