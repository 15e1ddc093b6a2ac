"""REST API of random draws: read draws and their results; the coordinator's four steps.

POST /api/v1/draws/ prepares a draw (the pool is fixed and hashed); POST /draws/{id}/commit/ publishes
the seed's SM3 hash; /draw/ draws; /publish/ publishes the results. A refusal is a 400 whose ``detail``
is the service's Chinese message, and nothing is written. The seed is ``null`` until the draw.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qijian.accounts.choices import OVERSEERS, Role
from qijian.core.api import KeysetPagination, role_permission
from qijian.core.api_views import ScopedViewSet
from qijian.grading.models import GRADE_READERS
from qijian.org.models import Inspector
from qijian.plans.models import PlanEntry
from qijian.sampling import services
from qijian.sampling.models import Draw, DrawResult

DrawPermission = role_permission(
    "DrawPermission", read=OVERSEERS | {Role.DEPT_ADMIN, Role.INSPECTOR}, write=frozenset({Role.RANDOM_COORDINATOR})
)


class DrawSerializer(serializers.ModelSerializer[Draw]):
    seed = serializers.SerializerMethodField(label="随机种子(抽取后公开)")

    class Meta:
        model = Draw
        fields = [
            "id",
            "title",
            "year",
            "entries",
            "departments",
            "townships",
            "industry_prefix",
            "count",
            "base_ratio",
            "window_start",
            "window_end",
            "status",
            "pool_size",
            "pool_counts",
            "pool_hash",
            "algorithm_version",
            "seed_hash",
            "seed",
            "quotas",
            "result_hash",
            "committed_at",
            "drawn_at",
            "published_at",
        ]
        read_only_fields = fields

    def get_seed(self, obj: Draw) -> str | None:
        return obj.seed_public or None


class PrepareBody(serializers.Serializer[Any]):
    entries = serializers.PrimaryKeyRelatedField(
        many=True, queryset=PlanEntry.objects.select_related("plan", "item__version"), label="计划条目"
    )
    count = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000, label="抽取户数")
    base_ratio = serializers.DecimalField(
        required=False, max_digits=7, decimal_places=6, min_value=Decimal("0.000001"), max_value=1, label="基准抽查比例"
    )
    industry_prefix = serializers.CharField(required=False, allow_blank=True, max_length=5, label="行业代码(一业一查)")


class TeamMemberSerializer(serializers.ModelSerializer[Inspector]):
    class Meta:
        model = Inspector
        fields = ["id", "name", "certificate_no", "department"]


class DrawResultSerializer(serializers.ModelSerializer[DrawResult]):
    team = TeamMemberSerializer(many=True, read_only=True, label="检查组")

    class Meta:
        model = DrawResult
        fields = ["id", "position", "enterprise", "grade", "visit_on", "team"]
        read_only_fields = fields

    def to_representation(self, instance: DrawResult) -> dict[str, Any]:
        """The drawn enterprise's grade only for those who may read grades (docs/grading.md)."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        if getattr(getattr(request, "user", None), "role", None) not in GRADE_READERS:
            data.pop("grade", None)
        return data


class ResultPagination(KeysetPagination):
    ordering = "id"


def _call(service: Callable[..., Draw], **kwargs: Any) -> Draw:
    try:
        return service(**kwargs)
    except services.SamplingError as exc:
        raise serializers.ValidationError({"detail": str(exc)}) from exc


@extend_schema_view(
    list=extend_schema(summary="双随机抽取列表"),
    retrieve=extend_schema(summary="双随机抽取详情"),
    create=extend_schema(summary="准备抽取(固定抽取池)", request=PrepareBody, responses={201: DrawSerializer}),
    commit=extend_schema(summary="公布随机种子哈希", request=None, responses={200: DrawSerializer}),
    discard=extend_schema(summary="放弃已准备、未公布种子哈希的抽取", request=None, responses={204: None}),
    draw=extend_schema(summary="执行抽取", request=None, responses={200: DrawSerializer}),
    publish=extend_schema(summary="公布抽取结果", request=None, responses={200: DrawSerializer}),
    results=extend_schema(summary="抽取结果(企业与检查组)", responses={200: DrawResultSerializer(many=True)}),
)
class DrawViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Draws: the overseers see all; departments the draws they take part in; the coordinator acts."""

    model = Draw
    serializer_class = DrawSerializer
    permission_classes = [DrawPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.prefetch_related("entries", "departments", "townships")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = PrepareBody(data=request.data)
        body.is_valid(raise_exception=True)
        row = _call(services.prepare_draw, actor=request.user, **body.validated_data)
        return Response(DrawSerializer(self.tune_queryset(Draw.objects.filter(pk=row.pk)).get()).data, status=201)

    def _step(self, service: Callable[..., Draw]) -> Response:
        row = _call(service, actor=self.request.user, draw=self.get_object())
        fresh = self.tune_queryset(Draw.objects.filter(pk=row.pk)).get()
        return Response(DrawSerializer(fresh).data, status=status.HTTP_200_OK)

    @action(detail=True, methods=["post"])
    def commit(self, request: Request, pk: str | None = None) -> Response:
        return self._step(services.commit_seed)

    @action(detail=True, methods=["post"])
    def discard(self, request: Request, pk: str | None = None) -> Response:
        try:
            services.discard_draw(actor=request.user, draw=self.get_object())
        except services.SamplingError as exc:
            raise serializers.ValidationError({"detail": str(exc)}) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def draw(self, request: Request, pk: str | None = None) -> Response:
        return self._step(services.execute_draw)

    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        return self._step(services.publish_results)

    @action(detail=True, methods=["get"], pagination_class=ResultPagination)
    def results(self, request: Request, pk: str | None = None) -> Response:
        draw = self.get_object()
        people = Inspector.objects.order_by("id")
        rows = DrawResult.objects.filter(draw=draw).prefetch_related(Prefetch("team", queryset=people))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DrawResultSerializer(page, many=True).data)
