"""REST API of the quarterly summary (read only): GET /api/v1/evaluation-summary/?quarter=2026Q4.

Scoped as the page: the office and the supervisor read the county packet with its clue details; a
department admin reads its own department's row only, without details. A bad quarter is a 400 with
a Chinese message. See docs/evaluation-summary.md.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from qijian.core.api import role_permission
from qijian.evaluations.queries.summary import READERS, quarter_from, summary_for

SummaryPermission = role_permission("SummaryPermission", read=READERS)


class SummaryFiguresSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(label="部门")
    department_id = serializers.IntegerField(label="部门ID", allow_null=True)
    follow_ups_due = serializers.IntegerField(label="应回访")
    follow_ups_done = serializers.IntegerField(label="已回访")
    follow_ups_late = serializers.IntegerField(label="超期回访")
    follow_ups_overdue = serializers.IntegerField(label="逾期未回访")
    responses = serializers.IntegerField(label="答卷数")
    suggestions = serializers.IntegerField(label="提出意见建议的答卷数")
    satisfaction = serializers.SerializerMethodField(label="满意度分布(样本不足时为空)")
    satisfaction_average = serializers.FloatField(label="满意度均分(5..1;样本不足时为空)", allow_null=True)
    satisfaction_text = serializers.CharField(label="满意度均分或“样本不足”")
    answer_clues = serializers.SerializerMethodField(label="各题问题线索数(样本不足时为空)")
    alert_clues = serializers.DictField(child=serializers.IntegerField(), label="R01/R02 预警数")
    complaints_received = serializers.IntegerField(label="收到投诉举报")
    complaints_replied = serializers.IntegerField(label="已办结反馈")
    complaints_open = serializers.IntegerField(label="办理中")
    complaints_overdue = serializers.IntegerField(label="逾期未办结")
    referrals_proposed = serializers.IntegerField(label="提请移送")
    referrals_approved = serializers.IntegerField(label="批准移送")
    clue_total = serializers.IntegerField(label="问题线索合计")

    def get_satisfaction(self, row: Any) -> dict[str, int] | None:
        return dict(row.satisfaction) if row.sample_ok else None

    def get_answer_clues(self, row: Any) -> dict[str, int] | None:
        return None if row.clues_hidden else dict(row.answer_clues)


class SummaryClueCountSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(label="题目代码(id_shown、satisfaction 等)")
    clue = serializers.CharField(source="label", label="线索")
    department = serializers.CharField(label="部门")
    count = serializers.IntegerField(label="数量")


class SummaryClueDetailSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(label="类别")
    day = serializers.DateField(label="日期")
    department = serializers.CharField(label="部门")
    enterprise = serializers.CharField(label="企业")
    what = serializers.CharField(label="线索")
    note = serializers.CharField(label="具体情况")
    advice = serializers.CharField(label="移送建议")


class EvaluationSummarySerializer(serializers.Serializer[Any]):
    quarter = serializers.SerializerMethodField(label="季度")
    as_of = serializers.DateField(label="统计截至")
    min_group = serializers.IntegerField(label="最少样本数")
    department_only = serializers.BooleanField(label="仅本部门")
    county = SummaryFiguresSerializer(label="全县合计(部门账号为本部门)")
    departments = SummaryFiguresSerializer(many=True, label="各部门")
    clues = SummaryClueCountSerializer(many=True, label="问题线索(按题目与部门)")
    details = SummaryClueDetailSerializer(many=True, label="问题线索和意见建议明细(联席会议办公室、司法局)")

    def get_quarter(self, summary: Any) -> str:
        return str(summary.quarter.code)


class _OneObjectSchema(AutoSchema):
    """The list route answers one summary object, not an array (drf-spectacular assumes a list)."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class SummaryViewSet(viewsets.ViewSet):
    permission_classes = [SummaryPermission]
    schema = _OneObjectSchema()

    @extend_schema(
        summary="季度事后评价汇总(联席会议材料)",
        parameters=[OpenApiParameter("quarter", str, description="季度,如 2026Q4(默认上一季度)")],
        responses={200: EvaluationSummarySerializer},
    )
    def list(self, request: Request) -> Response:
        try:
            quarter = quarter_from(str(request.query_params.get("quarter", "")), user=request.user)
        except ValueError as exc:
            raise serializers.ValidationError({"quarter": [str(exc)]}) from exc
        summary = summary_for(request.user, quarter)
        if summary is None:  # a dept_admin without a department
            raise exceptions.PermissionDenied("账号未关联部门,无法查看评价汇总。")
        return Response(EvaluationSummarySerializer(summary).data)


def register(router: BaseRouter) -> None:
    router.register("evaluation-summary", SummaryViewSet, basename="evaluationsummary")
