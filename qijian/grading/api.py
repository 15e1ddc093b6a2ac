"""REST API of grades: a read-only list of grade-list entries for the overseers and department admins."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from qijian.core.api import role_permission
from qijian.core.api_views import IdFilter, ScopedViewSet
from qijian.enterprises.choices import Grade
from qijian.grading.choices import ListStatus
from qijian.grading.models import GRADE_READERS, GradeEntry

GradePermission = role_permission("GradePermission", read=GRADE_READERS)


class GradeEntrySerializer(serializers.ModelSerializer[GradeEntry]):
    year = serializers.IntegerField(source="grade_list.year", read_only=True, label="适用年度")
    list_status = serializers.CharField(source="grade_list.status", read_only=True, label="清单状态")
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, label="企业名称")
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True, label="统一社会信用代码")
    # Plain text (A/B/C), so the schema has one enum for grades (GradeEnum), not a second name for it.
    computed_grade = serializers.CharField(read_only=True, label="评分等级(A/B/C)")

    class Meta:
        model = GradeEntry
        fields = [
            "id",
            "year",
            "list_status",
            "enterprise",
            "enterprise_name",
            "uscc",
            "score",
            "computed_grade",
            "grade",
            "focus",
            "override_reason",
            "explanation",
        ]
        read_only_fields = fields


class GradeEntryFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="grade_list__year", label="适用年度")
    list_status = django_filters.ChoiceFilter(
        field_name="grade_list__status", choices=ListStatus.choices, label="清单状态"
    )
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label="确定等级")
    focus = django_filters.BooleanFilter(label="重点监管(C类)")
    enterprise = IdFilter(field_name="enterprise_id", label="企业编号")

    class Meta:
        model = GradeEntry
        fields = ["year", "list_status", "grade", "focus", "enterprise"]


@extend_schema_view(
    list=extend_schema(summary="企业分级分类结果列表"),
    retrieve=extend_schema(summary="企业分级分类结果详情(含评分说明)"),
)
class GradeEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Each enterprise's grade in each yearly list; filter list_status=in_force for the grades in force."""

    model = GradeEntry
    serializer_class = GradeEntrySerializer
    filterset_class = GradeEntryFilter
    permission_classes = [GradePermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("grade_list", "enterprise")
