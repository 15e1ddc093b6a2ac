"""REST API of questionnaires and answers (read only).

- ``/api/v1/questionnaires/``: the versions and their questions (office, supervisor, dept_admin);
- ``/api/v1/questionnaires/aggregates/?quarter=2026Q3&department=<id>``: anonymous counts and shares
  (a dept_admin reads its own department only; office and supervisor any, or all);
- ``/api/v1/questionnaire-responses/``: responses with the enterprise and every answer (office and
  supervisor only — the inspected department never reaches an identified answer).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse
from rest_framework.routers import BaseRouter

from qijian.accounts.choices import Role
from qijian.core.api import role_permission
from qijian.core.api_views import IdFilter, ScopedViewSet
from qijian.core.calendar import Quarter
from qijian.evaluations.models import Answer, Question, Questionnaire, Response
from qijian.evaluations.queries import answers as queries
from qijian.org.models import Department

QuestionnairePermission = role_permission(
    "QuestionnairePermission", read={Role.OFFICE, Role.SUPERVISOR, Role.DEPT_ADMIN}
)
ResponsePermission = role_permission("ResponsePermission", read={Role.OFFICE, Role.SUPERVISOR})


# --- serializers --------------------------------------------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer[Question]):
    options = serializers.ListField(child=serializers.CharField(), label="选项")
    explain_options = serializers.ListField(child=serializers.CharField(), label="需说明的选项")

    class Meta:
        model = Question
        fields = ["id", "number", "code", "text", "kind", "options", "explain_options", "required"]


class QuestionnaireSerializer(serializers.ModelSerializer[Questionnaire]):
    questions = QuestionSerializer(many=True, read_only=True, label="题目")

    class Meta:
        model = Questionnaire
        fields = ["id", "version", "title", "status", "activated_at", "created_at", "questions"]


class AnswerSerializer(serializers.ModelSerializer[Answer]):
    number = serializers.IntegerField(source="question.number", read_only=True, label="题号")
    code = serializers.CharField(source="question.code", read_only=True, label="统计代码")
    choices = serializers.ListField(child=serializers.CharField(), label="所选项")

    class Meta:
        model = Answer
        fields = ["question", "number", "code", "choices", "text"]


class ResponseSerializer(serializers.ModelSerializer[Response]):
    version = serializers.IntegerField(source="questionnaire.version", read_only=True, label="问卷版本号")
    enterprise = serializers.IntegerField(source="follow_up.enterprise_id", read_only=True, label="企业编号")
    enterprise_name = serializers.CharField(source="follow_up.enterprise.name", read_only=True, label="企业名称")
    department = serializers.IntegerField(source="follow_up.department_id", read_only=True, label="检查部门编号")
    inspected_on = serializers.DateField(source="follow_up.inspected_on", read_only=True, label="检查日期")
    answers = AnswerSerializer(many=True, read_only=True, label="答案")

    class Meta:
        model = Response
        fields = [
            "id",
            "follow_up",
            "questionnaire",
            "version",
            "enterprise",
            "enterprise_name",
            "department",
            "inspected_on",
            "channel",
            "submitted_at",
            "recorded_by",
            "answers",
        ]


class OptionCountSerializer(serializers.Serializer):  # type: ignore[type-arg]
    option = serializers.CharField(label="选项")
    count = serializers.IntegerField(label="数量")
    share = serializers.FloatField(label="占比(0–1)")


class QuestionAggregateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(label="统计代码")
    number = serializers.IntegerField(label="题号")
    text = serializers.CharField(label="题目")
    kind = serializers.CharField(label="题型")
    hidden = serializers.BooleanField(label="作答企业不足,不显示")
    answered = serializers.IntegerField(label="作答份数")
    options = OptionCountSerializer(many=True, label="各选项")
    average_score = serializers.FloatField(allow_null=True, label="平均得分(满意度题)")


class AggregateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    quarter = serializers.CharField(label="季度")
    start = serializers.DateField(label="起始日期")
    end = serializers.DateField(label="截止日期")
    departments = serializers.ListField(child=serializers.IntegerField(), label="部门编号")
    min_group = serializers.IntegerField(label="最少作答企业数")
    responses = serializers.IntegerField(allow_null=True, label="答卷份数(不足最少企业数时为空)")
    questions = QuestionAggregateSerializer(many=True, label="各题统计")


class AggregateQuery(serializers.Serializer):  # type: ignore[type-arg]
    quarter = serializers.CharField(required=False, max_length=16, label="季度,如 2026Q3(默认本季度)")
    department = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, label="部门编号")

    def validate_quarter(self, value: str) -> Quarter:
        try:
            return Quarter.parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


# --- filters ------------------------------------------------------------------------------------------------


class ResponseFilter(django_filters.FilterSet):
    department = IdFilter(field_name="follow_up__department_id", label="检查部门编号")
    enterprise = IdFilter(field_name="follow_up__enterprise_id", label="企业编号")
    follow_up = IdFilter(field_name="follow_up_id", label="回访编号")

    class Meta:
        model = Response
        fields = ["department", "enterprise", "follow_up"]


# --- viewsets -----------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="评价问卷版本(附件3)"),
    retrieve=extend_schema(summary="评价问卷版本详情"),
    aggregates=extend_schema(
        summary="评价统计(匿名,按季度;部门管理员仅本部门)",
        parameters=[
            OpenApiParameter(
                "quarter", str, description="季度,如 2026Q3(默认本季度;部门管理员只能查看已结束收集的季度,默认最近一个)"
            ),
            OpenApiParameter("department", int, description="部门编号(部门管理员只能是本部门)"),
        ],
        responses={200: AggregateSerializer},
    ),
)
class QuestionnaireViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Questionnaire
    serializer_class = QuestionnaireSerializer
    permission_classes = [QuestionnairePermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("number")))

    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def aggregates(self, request: Request) -> ApiResponse:
        query = AggregateQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            quarter = queries.department_quarter(request.user, query.validated_data.get("quarter"))
        except ValueError as exc:
            raise ValidationError({"quarter": [str(exc)]}) from exc
        departments = _departments(request.user, query.validated_data.get("department"))
        result = queries.aggregate(departments, quarter.start, quarter.end)
        data = dataclasses.asdict(result) | {"quarter": quarter.code, "departments": departments}
        return ApiResponse(AggregateSerializer(data).data)


def _departments(user: Any, department: int | None) -> list[int]:
    if user.role == Role.DEPT_ADMIN:
        if department not in (None, user.department_id) or not user.department_id:
            raise PermissionDenied("部门管理员只能查看本部门的评价统计。")
        return [user.department_id]
    if user.role not in (Role.OFFICE, Role.SUPERVISOR):
        raise PermissionDenied("您的角色无权查看评价统计。")
    if department is not None:
        return [department]
    return list(Department.objects.filter(is_enforcement=True).values_list("pk", flat=True))


@extend_schema_view(
    list=extend_schema(summary="评价答卷(含企业,仅联席会议办公室和县司法局)"),
    retrieve=extend_schema(summary="评价答卷详情"),
)
class ResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Response
    serializer_class = ResponseSerializer
    permission_classes = [ResponsePermission]
    filterset_class = ResponseFilter

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        answers = Answer.objects.select_related("question").order_by("question__number")
        return queryset.select_related("questionnaire", "follow_up__enterprise").prefetch_related(
            Prefetch("answers", queryset=answers)
        )


def register(router: BaseRouter) -> None:
    router.register("questionnaires", QuestionnaireViewSet, basename="questionnaire")
    router.register("questionnaire-responses", ResponseViewSet, basename="questionnaireresponse")
