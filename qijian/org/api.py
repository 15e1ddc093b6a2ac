"""REST API of the organisation registry: regions, departments (with platforms), inspectors, conflicts."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from qijian.accounts.choices import COUNTY_WIDE, Role
from qijian.core.api import KeysetPagination, role_permission
from qijian.core.api_views import IdFilter, ScopedViewSet, ServiceCreateMixin
from qijian.core.models import CHANGE, VIEW
from qijian.enterprises.models import Enterprise
from qijian.org.choices import DepartmentLevel, InspectorStatus, RegionLevel
from qijian.org.models import STAFF_ROLES, Conflict, Department, EnforcementPlatform, Inspector, Region
from qijian.org.services import declare_conflict

ALL_ROLES = frozenset(Role)
INSPECTOR_READERS = COUNTY_WIDE | {Role.DEPT_ADMIN, Role.INSPECTOR}
CONFLICT_DECLARERS = frozenset({Role.DEPT_ADMIN, Role.SYSADMIN})

RegionPermission = role_permission("RegionPermission", read=ALL_ROLES)
DepartmentPermission = role_permission("DepartmentPermission", read=STAFF_ROLES)
InspectorPermission = role_permission("InspectorPermission", read=INSPECTOR_READERS)
ConflictPermission = role_permission("ConflictPermission", read=INSPECTOR_READERS, write=CONFLICT_DECLARERS)


class CodeOrdered(KeysetPagination):
    ordering = "code"


# --- Serializers ---------------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer[Region]):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent"]


class PlatformSerializer(serializers.ModelSerializer[EnforcementPlatform]):
    class Meta:
        model = EnforcementPlatform
        fields = ["id", "name", "level", "purposes", "checkin_connected", "contact", "note"]


class DepartmentSerializer(serializers.ModelSerializer[Department]):
    region_name = serializers.CharField(source="region.name", read_only=True, label="所在区划名称")
    platforms = PlatformSerializer(many=True, read_only=True, label="使用的执法监管平台(附件4)")

    class Meta:
        model = Department
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "level",
            "region",
            "region_name",
            "parent",
            "high_frequency",
            "is_enforcement",
            "contact_name",
            "contact_phone",
            "platforms",
        ]


class InspectorSerializer(serializers.ModelSerializer[Inspector]):
    department_name = serializers.CharField(source="department.name", read_only=True, label="所属部门名称")

    class Meta:
        model = Inspector
        fields = [
            "id",
            "name",
            "certificate_no",
            "department",
            "department_name",
            "certificate_valid_from",
            "certificate_valid_until",
            "status",
            "phone",
        ]


class ConflictSerializer(serializers.ModelSerializer[Conflict]):
    """A declared conflict; on create the inspector must be one the user may change."""

    class Meta:
        model = Conflict
        fields = ["id", "inspector", "enterprise", "reason", "declared_on", "created_at"]
        read_only_fields = ["created_at"]
        validators: list[Any] = []  # the pair's uniqueness is checked by the service (full_clean)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["inspector"].queryset = Inspector.objects.restrict(user, CHANGE)  # type: ignore[attr-defined]
        fields["enterprise"].queryset = Enterprise.objects.restrict(user, VIEW)  # type: ignore[attr-defined]
        return fields


# --- Filters -------------------------------------------------------------------------------------


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label="层级")
    parent = IdFilter(field_name="parent_id", label="上级区划编号")
    code = django_filters.CharFilter(field_name="code", lookup_expr="startswith", label="区划代码前缀", max_length=12)

    class Meta:
        model = Region
        fields = ["level", "parent", "code"]


class DepartmentFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=DepartmentLevel.choices, label="层级")
    region = IdFilter(field_name="region_id", label="所在区划编号")
    high_frequency = django_filters.BooleanFilter(label="入企检查频次较高部门")
    name = django_filters.CharFilter(method="search", label="名称、简称或编码", max_length=64)

    class Meta:
        model = Department
        fields = ["level", "region", "high_frequency", "name"]

    def search(self, qs: QuerySet[Department], name: str, value: str) -> QuerySet[Department]:
        value = value.strip()
        return qs.filter(Q(name__contains=value) | Q(short_name__contains=value) | Q(code__startswith=value))


class InspectorFilter(django_filters.FilterSet):
    department = IdFilter(field_name="department_id", label="所属部门编号")
    status = django_filters.ChoiceFilter(choices=InspectorStatus.choices, label="状态")
    certificate_no = django_filters.CharFilter(label="执法证号", max_length=32)
    name = django_filters.CharFilter(lookup_expr="contains", label="姓名包含", max_length=32)
    valid_on = django_filters.DateFilter(method="filter_valid_on", label="该日证件有效")

    class Meta:
        model = Inspector
        fields = ["department", "status", "certificate_no", "name", "valid_on"]

    def filter_valid_on(self, qs: QuerySet[Inspector], name: str, value: Any) -> QuerySet[Inspector]:
        return qs.filter(certificate_valid_from__lte=value, certificate_valid_until__gte=value)


class ConflictFilter(django_filters.FilterSet):
    inspector = IdFilter(field_name="inspector_id", label="执法人员编号")
    enterprise = IdFilter(field_name="enterprise_id", label="企业编号")

    class Meta:
        model = Conflict
        fields = ["inspector", "enterprise"]


# --- Viewsets ------------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="行政区划列表"), retrieve=extend_schema(summary="行政区划详情"))
class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """GB/T 2260 regions, down to townships and development zones."""

    model = Region
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    pagination_class = CodeOrdered
    permission_classes = [RegionPermission]


@extend_schema_view(list=extend_schema(summary="部门列表"), retrieve=extend_schema(summary="部门详情"))
class DepartmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Enforcement departments with the platforms each uses (附件4)."""

    model = Department
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    pagination_class = CodeOrdered
    permission_classes = [DepartmentPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("region").prefetch_related("platforms")


@extend_schema_view(list=extend_schema(summary="执法人员列表"), retrieve=extend_schema(summary="执法人员详情"))
class InspectorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Inspectors; department roles see their own department's only."""

    model = Inspector
    serializer_class = InspectorSerializer
    filterset_class = InspectorFilter
    permission_classes = [InspectorPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("department")


@extend_schema_view(
    list=extend_schema(summary="利益冲突申报列表"),
    retrieve=extend_schema(summary="利益冲突申报详情"),
    create=extend_schema(summary="申报利益冲突(回避)"),
)
class ConflictViewSet(ServiceCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Declared conflicts of interest between inspectors and enterprises."""

    model = Conflict
    create_service = staticmethod(declare_conflict)
    serializer_class = ConflictSerializer
    filterset_class = ConflictFilter
    permission_classes = [ConflictPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("inspector", "enterprise")
