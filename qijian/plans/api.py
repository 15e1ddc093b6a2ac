"""REST API of plans: plans and their entries (scoped), the workflow actions, completion, work reports.

Writes go through ``qijian.plans.services`` with the same rules as the pages; a refused action is a
400 whose ``detail`` carries the service's Chinese message, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qijian.accounts.choices import OVERSEERS, Role
from qijian.catalog.models import CatalogItem
from qijian.core.api import role_permission
from qijian.core.api_views import IdFilter, ScopedViewSet
from qijian.core.models import CHANGE, VIEW
from qijian.enterprises.models import Enterprise
from qijian.meetings.models import Decision
from qijian.org.models import Department
from qijian.plans import services
from qijian.plans.choices import Completion, PlanKind, PlanStatus
from qijian.plans.models import Plan, PlanEntry, WorkReport

READERS = OVERSEERS | {Role.DEPT_ADMIN, Role.INSPECTOR}
PlanPermission = role_permission(
    "PlanPermission", read=READERS, write=frozenset({Role.DEPT_ADMIN, Role.RANDOM_COORDINATOR})
)
EntryPermission = role_permission(
    "PlanEntryPermission", read=READERS, write=frozenset({Role.DEPT_ADMIN, Role.RANDOM_COORDINATOR})
)
WorkReportPermission = role_permission("WorkReportPermission", read=READERS, write=frozenset({Role.DEPT_ADMIN}))

# Workflow actions: only the roles whose step it is get past the permission check (others 403).
SubmitPermission = role_permission(
    "PlanSubmitPermission", read=READERS, write=frozenset({Role.DEPT_ADMIN, Role.RANDOM_COORDINATOR})
)
ReviewPermission = role_permission(
    "PlanReviewPermission", read=READERS, write=frozenset({Role.SUPERVISOR, Role.RANDOM_COORDINATOR})
)
OfficePermission = role_permission("PlanOfficePermission", read=READERS, write=frozenset({Role.OFFICE}))

T = TypeVar("T")


def _call(service: Callable[..., T], **kwargs: Any) -> T:
    """Run a service; its refusal becomes a 400 with the Chinese message."""
    try:
        return service(**kwargs)
    except services.PlanError as exc:
        raise serializers.ValidationError({"detail": str(exc)}) from exc


# --- serializers --------------------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer[Plan]):
    department_name = serializers.CharField(source="department.name", read_only=True, label="部门名称")
    decision_number = serializers.CharField(
        source="decision.number", read_only=True, default=None, allow_null=True, label="决定编号"
    )
    quarter = serializers.IntegerField(min_value=1, max_value=4, allow_null=True, required=False, label="季度")
    year = serializers.IntegerField(min_value=2000, max_value=2100, label="年度")
    # Plain strings in the schema: the two parts share one choice set (not_needed/pending/passed/returned).
    random_review = serializers.CharField(read_only=True, label="双随机事项审核(not_needed/pending/passed/returned)")
    targeted_review = serializers.CharField(read_only=True, label="非双随机事项审核(同上)")

    class Meta:
        model = Plan
        fields = [
            "id",
            "kind",
            "department",
            "department_name",
            "year",
            "quarter",
            "status",
            "random_review",
            "random_reviewed_at",
            "targeted_review",
            "targeted_reviewed_at",
            "return_comment",
            "submitted_at",
            "late",
            "extension_until",
            "extension_reason",
            "decision",
            "decision_number",
            "approved_at",
            "completion_reported_at",
        ]
        read_only_fields = [f for f in fields if f not in ("kind", "department", "year", "quarter")]
        validators: list[Any] = []  # uniqueness is the service's to check, with a Chinese message

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["department"].queryset = Department.objects.all()  # type: ignore[attr-defined]
        return fields


class EntrySerializer(serializers.ModelSerializer[PlanEntry]):
    item_code = serializers.CharField(source="item.code", read_only=True, label="事项编码")
    item_name = serializers.CharField(source="item.name", read_only=True, label="检查事项")
    completion = serializers.CharField(read_only=True, label="完成情况(done/partly/not_done;未报送时为空)")
    expected_count = serializers.IntegerField(min_value=1, max_value=1_000_000, label="预计检查户次")
    # A plain string in the schema (the same values as the department levels; the service checks it).
    level = serializers.CharField(
        max_length=16, required=False, default="county", label="检查层级:national/province/city/county/township"
    )

    class Meta:
        model = PlanEntry
        fields = [
            "id",
            "plan",
            "item",
            "item_code",
            "item_name",
            "basis",
            "mode",
            "method",
            "joint",
            "partners",
            "window_start",
            "window_end",
            "targets",
            "target_rule",
            "expected_count",
            "note",
            "level",
            "implementing_department",
            "multi_level_joint",
            "participants",
            "township_notice",
            "acceptance_plan",
            "completion",
            "actual_count",
            "joint_count",
            "remote_count",
            "problem_count",
            "no_penalty_count",
            "reduced_penalty_count",
            "no_coercion_count",
            "completion_reason",
            "completion_note",
        ]
        read_only_fields = ["mode", "completion", *services.COMPLETION_COUNTS, "completion_reason", "completion_note"]
        extra_kwargs = {"basis": {"required": False, "allow_blank": True}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["plan"].queryset = Plan.objects.restrict(user, CHANGE)  # type: ignore[attr-defined]
        fields["item"].queryset = CatalogItem.objects.restrict(user, VIEW)  # type: ignore[attr-defined]
        fields["partners"].child_relation.queryset = Department.objects.all()  # type: ignore[attr-defined]
        fields["targets"].child_relation.queryset = Enterprise.objects.restrict(user, VIEW)  # type: ignore[attr-defined]
        fields["implementing_department"].queryset = Department.objects.all()  # type: ignore[attr-defined]
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "window_start" in attrs and "window_end" in attrs and attrs["window_end"] < attrs["window_start"]:
            raise serializers.ValidationError({"window_end": "结束日期不能早于开始日期。"})
        return attrs


class ReviewSerializer(serializers.Serializer[Any]):
    passed = serializers.BooleanField(label="审核通过")
    comment = serializers.CharField(label="审核意见", max_length=2000, required=False, allow_blank=True, default="")


class ApproveSerializer(serializers.Serializer[Any]):
    decision = serializers.PrimaryKeyRelatedField(queryset=Decision.objects.all(), label="会议决定")


class ReturnSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(label="退回意见", max_length=2000)


class ExtensionSerializer(serializers.Serializer[Any]):
    until = serializers.DateField(label="延期报送至")
    reason = serializers.CharField(label="延期原因", max_length=255)


class CompletionSerializer(serializers.Serializer[Any]):
    completion = serializers.ChoiceField(choices=Completion.choices, label="完成情况")
    actual_count = serializers.IntegerField(min_value=0, max_value=1_000_000, label="实际检查户次")
    joint_count = serializers.IntegerField(min_value=0, max_value=1_000_000, label="其中联合检查户次")
    remote_count = serializers.IntegerField(min_value=0, max_value=1_000_000, label="其中非现场检查户次")
    problem_count = serializers.IntegerField(min_value=0, max_value=1_000_000, label="发现问题户次")
    no_penalty_count = serializers.IntegerField(min_value=0, max_value=1_000_000, label="免罚件数")
    reduced_penalty_count = serializers.IntegerField(min_value=0, max_value=1_000_000, label="减轻处罚件数")
    no_coercion_count = serializers.IntegerField(min_value=0, max_value=1_000_000, label="不予强制件数")
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="", label="未完成原因")
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="", label="备注")


class WorkReportSerializer(serializers.ModelSerializer[WorkReport]):
    department_name = serializers.CharField(source="department.name", read_only=True, label="部门名称")
    year = serializers.IntegerField(min_value=2000, max_value=2100, label="年度")
    quarter = serializers.IntegerField(min_value=1, max_value=4, label="季度")
    text = serializers.CharField(max_length=20000, label="工作情况")

    class Meta:
        model = WorkReport
        fields = ["id", "department", "department_name", "year", "quarter", "text", "submitted_at", "late"]
        read_only_fields = ["department", "submitted_at", "late"]
        validators: list[Any] = []


# --- filters ------------------------------------------------------------------------------------------


class PlanFilter(django_filters.FilterSet):
    department = IdFilter(field_name="department_id", label="部门编号")
    year = django_filters.NumberFilter(label="年度", min_value=2000, max_value=2100)
    quarter = django_filters.ChoiceFilter(choices=[(n, str(n)) for n in range(1, 5)], label="季度")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label="状态")
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices, label="计划类型")

    class Meta:
        model = Plan
        fields = ["department", "year", "quarter", "status", "kind"]


class EntryFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id", label="计划编号")
    on = django_filters.DateFilter(method="covering", label="检查时间覆盖该日")

    class Meta:
        model = PlanEntry
        fields = ["plan", "on"]

    def covering(self, qs: QuerySet[PlanEntry], name: str, value: Any) -> QuerySet[PlanEntry]:
        return qs.filter(window_start__lte=value, window_end__gte=value)


# --- viewsets -----------------------------------------------------------------------------------------


def _plan_response(plan: Plan) -> Response:
    return Response(PlanSerializer(plan).data)


@extend_schema_view(
    list=extend_schema(summary="检查计划列表"),
    retrieve=extend_schema(summary="检查计划详情"),
    create=extend_schema(summary="新建检查计划(部门管理员:季度计划;县市场监管局:年度双随机计划)"),
    submit=extend_schema(summary="报送检查计划", request=None, responses=PlanSerializer),
    review=extend_schema(
        summary="审核检查计划(县市场监管局/县司法局)", request=ReviewSerializer, responses=PlanSerializer
    ),
    approve=extend_schema(summary="审定检查计划(联席会议办公室)", request=ApproveSerializer, responses=PlanSerializer),
    return_plan=extend_schema(
        summary="退回检查计划(联席会议办公室)", request=ReturnSerializer, responses=PlanSerializer
    ),
    extension=extend_schema(
        summary="批准延期报送(联席会议办公室)", request=ExtensionSerializer, responses=PlanSerializer
    ),
)
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    """Quarterly plans and the annual random plan; department roles see their own department's."""

    model = Plan
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    permission_classes = [PlanPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("department", "decision")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        kind = data.get("kind", PlanKind.QUARTERLY)
        plan = _call(
            services.create_plan,
            actor=request.user,
            department=data["department"],
            year=data["year"],
            quarter=data.get("quarter"),
            kind=kind,
        )
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], filterset_class=None, permission_classes=[SubmitPermission])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return _plan_response(_call(services.submit_plan, actor=request.user, plan=self.get_object()))

    @action(detail=True, methods=["post"], filterset_class=None, permission_classes=[ReviewPermission])
    def review(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()  # another department's plan is a 404 before the body is read
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = _call(services.review_plan, actor=request.user, plan=target, **body.validated_data)
        return _plan_response(plan)

    @action(detail=True, methods=["post"], filterset_class=None, permission_classes=[OfficePermission])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()  # another department's plan is a 404 before the body is read
        body = ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = _call(services.approve_plan, actor=request.user, plan=target, **body.validated_data)
        return _plan_response(plan)

    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        filterset_class=None,
        permission_classes=[OfficePermission],
    )
    def return_plan(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()  # another department's plan is a 404 before the body is read
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = _call(services.return_plan, actor=request.user, plan=target, **body.validated_data)
        return _plan_response(plan)

    @action(detail=True, methods=["post"], filterset_class=None, permission_classes=[OfficePermission])
    def extension(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()  # another department's plan is a 404 before the body is read
        body = ExtensionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = _call(services.grant_extension, actor=request.user, plan=target, **body.validated_data)
        return _plan_response(plan)


@extend_schema_view(
    list=extend_schema(summary="计划条目列表"),
    retrieve=extend_schema(summary="计划条目详情"),
    create=extend_schema(summary="添加计划条目"),
    partial_update=extend_schema(summary="修改计划条目"),
    destroy=extend_schema(summary="删除计划条目"),
    completion=extend_schema(summary="报送完成情况", request=CompletionSerializer, responses=EntrySerializer),
)
class PlanEntryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
):
    """Entries of the plans the user may see; written through the plan services."""

    model = PlanEntry
    serializer_class = EntrySerializer
    filterset_class = EntryFilter
    permission_classes = [EntryPermission]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        partners = Prefetch("partners", queryset=Department.objects.order_by("code"))
        return queryset.select_related("plan", "item").prefetch_related(partners, "targets")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = _call(services.add_entry, actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        changes = {k: v for k, v in serializer.validated_data.items() if k != "plan"}
        if "plan" in serializer.validated_data and serializer.validated_data["plan"] != serializer.instance.plan:
            raise serializers.ValidationError({"plan": "不能把条目移到另一个计划。"})
        _call(services.update_entry, actor=self.request.user, entry=serializer.instance, **changes)

    def perform_destroy(self, instance: PlanEntry) -> None:
        _call(services.remove_entry, actor=self.request.user, entry=instance)

    @action(detail=True, methods=["post"], filterset_class=None)
    def completion(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        body = CompletionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = _call(services.report_completion, actor=request.user, entry=target, **body.validated_data)
        return Response(EntrySerializer(entry, context={"request": request}).data)


@extend_schema_view(
    list=extend_schema(summary="工作情况报送列表"),
    retrieve=extend_schema(summary="工作情况报送详情"),
    create=extend_schema(summary="报送本部门工作情况"),
)
class WorkReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    """工作情况报送: a department admin reports on its department's quarter; overseers read all."""

    model = WorkReport
    serializer_class = WorkReportSerializer
    permission_classes = [WorkReportPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("department")

    def perform_create(self, serializer: Any) -> None:
        user = self.request.user
        department = getattr(user, "department", None)
        serializer.instance = _call(
            services.submit_work_report, actor=user, department=department, **serializer.validated_data
        )
