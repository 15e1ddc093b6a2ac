"""REST API of the joint-visit workflow (综合查一次).

GET /joint-proposals/ (office and overseers: all; a department admin: the visits its department is in),
POST /joint-proposals/{id}/answer/ {accept, reason} (the department admin's answer; a decline needs a
reason), POST /joint-proposals/{id}/file/ (the lead admin files an accepted visit again);
GET/POST /joint-runs/ (the office runs the planner for {quarter}); GET /joint-runs/share/?year=;
GET /joint-unplanned/. A refusal is a 400 whose ``detail`` is the service's Chinese message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qijian.accounts.choices import OVERSEERS, Role
from qijian.core.api import role_permission
from qijian.core.api_views import ScopedViewSet
from qijian.core.calendar import Quarter
from qijian.joint import queries, services
from qijian.joint.models import PlanningRun, Proposal, ProposalTask, Unplanned

READERS = OVERSEERS | {Role.DEPT_ADMIN}
ProposalPermission = role_permission("ProposalPermission", read=READERS, write=frozenset({Role.DEPT_ADMIN}))
RunPermission = role_permission("RunPermission", read=READERS, write=frozenset({Role.OFFICE}))
UnplannedPermission = role_permission("UnplannedPermission", read=READERS)


class ProposalTaskSerializer(serializers.ModelSerializer[ProposalTask]):
    class Meta:
        model = ProposalTask
        fields = [
            "id",
            "department",
            "item",
            "source",
            "plan_entry",
            "draw_result",
            "superior_filing",
            "window_start",
            "window_end",
            "inspectors",
            "answer",
            "reason",
            "answered_at",
        ]
        read_only_fields = fields


class ProposalSerializer(serializers.ModelSerializer[Proposal]):
    tasks = ProposalTaskSerializer(many=True, read_only=True, label="检查任务")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "run",
            "quarter",
            "enterprise",
            "day",
            "lead_department",
            "status",
            "filing",
            "filing_error",
            "tasks",
        ]
        read_only_fields = fields


class AnswerBody(serializers.Serializer[Any]):
    accept = serializers.BooleanField(label="是否同意")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255, label="拒绝理由")


class RunSerializer(serializers.ModelSerializer[PlanningRun]):
    class Meta:
        model = PlanningRun
        fields = [
            "id",
            "quarter",
            "ran_at",
            "algorithm_version",
            "task_count",
            "tasks_planned",
            "visit_count",
            "lower_bound",
            "visits_saved",
            "unplannable_count",
        ]
        read_only_fields = fields


class RunBody(serializers.Serializer[Any]):
    quarter = serializers.CharField(max_length=16, label="季度(如 2027Q1)")

    def validate_quarter(self, value: str) -> Quarter:
        try:
            return Quarter.parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class ShareSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="label", label="范围")
    total = serializers.IntegerField(label="非双随机检查次数")
    joint = serializers.IntegerField(label="其中联合检查次数")
    share = serializers.FloatField(label="联合检查占比")
    target = serializers.FloatField(label="政策目标")
    met = serializers.BooleanField(label="是否达标")


class ShareResponse(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    county = ShareSerializer()
    departments = ShareSerializer(many=True)


class UnplannedSerializer(serializers.ModelSerializer[Unplanned]):
    class Meta:
        model = Unplanned
        fields = ["id", "run", "enterprise", "department", "item", "source", "window_start", "window_end", "reason"]
        read_only_fields = fields


def _call(service: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return service(**kwargs)
    except services.JointError as exc:
        raise serializers.ValidationError({"detail": str(exc)}) from exc


@extend_schema_view(
    list=extend_schema(summary="联合检查建议列表"),
    retrieve=extend_schema(summary="联合检查建议详情"),
    answer=extend_schema(summary="本部门同意或拒绝联合检查", request=AnswerBody, responses={200: ProposalSerializer}),
    file=extend_schema(summary="牵头部门办理联合报备", request=None, responses={200: ProposalSerializer}),
)
class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Proposal
    serializer_class = ProposalSerializer
    permission_classes = [ProposalPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.prefetch_related(Prefetch("tasks", queryset=ProposalTask.objects.order_by("id")))

    def _fresh(self, pk: int) -> Response:
        row = self.tune_queryset(Proposal.objects.filter(pk=pk)).get()
        return Response(ProposalSerializer(row).data, status=status.HTTP_200_OK)

    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        body = AnswerBody(data=request.data)
        body.is_valid(raise_exception=True)
        row = _call(services.answer_proposal, actor=request.user, proposal=self.get_object(), **body.validated_data)
        return self._fresh(row.pk)

    @action(detail=True, methods=["post"])
    def file(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        _call(services.file_proposal, actor=request.user, proposal=proposal)
        return self._fresh(proposal.pk)


@extend_schema_view(
    list=extend_schema(summary="联合检查规划记录"),
    retrieve=extend_schema(summary="联合检查规划详情"),
    create=extend_schema(summary="运行联合检查规划(联席会议办公室)", request=RunBody, responses={201: RunSerializer}),
    share=extend_schema(
        summary="非双随机检查联合占比(全县与各部门)",
        parameters=[OpenApiParameter("year", int, description="年度(默认今年)")],
        responses={200: ShareResponse},
    ),
)
class PlanningRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = PlanningRun
    serializer_class = RunSerializer
    permission_classes = [RunPermission]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = RunBody(data=request.data)
        body.is_valid(raise_exception=True)
        run = _call(services.run_planner, actor=request.user, quarter=body.validated_data["quarter"])
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)

    @action(detail=False, methods=["get"], pagination_class=None)
    def share(self, request: Request) -> Response:
        year = queries.year_of(str(request.query_params.get("year", "")))
        county, departments = queries.share_for(request.user, year)
        data = {"year": year, "county": _share(county), "departments": [_share(d) for d in departments]}
        return Response(ShareResponse(data).data)


def _share(row: queries.Share) -> dict[str, Any]:
    return {
        "label": row.label,
        "total": row.total,
        "joint": row.joint,
        "share": row.share,
        "target": row.target,
        "met": row.met,
    }


@extend_schema_view(
    list=extend_schema(summary="无法规划的检查任务(含原因)"), retrieve=extend_schema(summary="无法规划的检查任务详情")
)
class UnplannedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Unplanned
    serializer_class = UnplannedSerializer
    permission_classes = [UnplannedPermission]
