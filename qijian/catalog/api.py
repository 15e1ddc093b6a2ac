"""REST API of the item catalog: versions and items (read by staff; a department admin drafts)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from qijian.accounts.choices import Role
from qijian.catalog import queries, services
from qijian.catalog.choices import CatalogStatus, InspectionMethod, InspectionMode
from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.api import SlugField, role_permission
from qijian.core.api_views import IdFilter, ScopedViewSet, ServiceCreateMixin
from qijian.core.models import CHANGE
from qijian.enterprises.choices import EnterpriseType
from qijian.enterprises.models import Industry
from qijian.org.models import STAFF_ROLES

CatalogPermission = role_permission("CatalogPermission", read=STAFF_ROLES, write={Role.DEPT_ADMIN})


def _refusal(exc: services.CatalogError) -> serializers.ValidationError:
    return serializers.ValidationError({"non_field_errors": [str(exc)]})


def create_version(*, actor: Any, **_: Any) -> CatalogVersion:
    """The API's create: a new draft of the caller's own department."""
    try:
        return services.create_version(actor=actor, department=actor.department)
    except services.CatalogError as exc:
        raise _refusal(exc) from exc


def add_item(*, actor: Any, **fields: Any) -> CatalogItem:
    try:
        return services.add_item(actor=actor, **fields)
    except services.CatalogError as exc:
        raise _refusal(exc) from exc


# --- Serializers ---------------------------------------------------------------------------------


class CatalogVersionSerializer(serializers.ModelSerializer[CatalogVersion]):
    """A catalog version; POST (no body) opens a new draft of the caller's department."""

    department_name = serializers.CharField(source="department.name", read_only=True, label="部门名称")
    decision_number = serializers.CharField(
        source="decision.number", read_only=True, default=None, allow_null=True, label="决定编号"
    )

    class Meta:
        model = CatalogVersion
        fields = [
            "id",
            "department",
            "department_name",
            "number",
            "status",
            "effective_from",
            "submitted_at",
            "decision",
            "decision_number",
            "approved_at",
            "return_comment",
        ]
        read_only_fields = fields


class CatalogItemSerializer(serializers.ModelSerializer[CatalogItem]):
    """An item; on create the version must be an open version of the caller's own department."""

    industries = SlugField(
        slug_field="code", many=True, required=False, queryset=Industry.objects.all(), label="适用行业代码"
    )
    enterprise_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EnterpriseType.choices), required=False, label="适用市场主体类型"
    )
    mode = serializers.ChoiceField(choices=InspectionMode.choices, label="检查类别")
    method = serializers.ChoiceField(choices=InspectionMethod.choices, required=False, label="检查方式")

    class Meta:
        model = CatalogItem
        fields = [
            "id",
            "version",
            "code",
            "name",
            "law",
            "article",
            "standard",
            "mode",
            "method",
            "joinable",
            "industries",
            "enterprise_types",
        ]
        validators: list[Any] = []  # code uniqueness within a version is the service's (Chinese message)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        fields["version"].queryset = CatalogVersion.objects.restrict(user, CHANGE)  # type: ignore[attr-defined]
        return fields


# --- Filters -------------------------------------------------------------------------------------


class CatalogVersionFilter(django_filters.FilterSet):
    department = IdFilter(field_name="department_id", label="部门编号")
    status = django_filters.ChoiceFilter(choices=CatalogStatus.choices, label="状态")

    class Meta:
        model = CatalogVersion
        fields = ["department", "status"]


class CatalogItemFilter(django_filters.FilterSet):
    version = IdFilter(field_name="version_id", label="清单版本编号")
    department = IdFilter(field_name="version__department_id", label="部门编号")
    code = django_filters.CharFilter(label="事项编码", max_length=32)
    mode = django_filters.ChoiceFilter(choices=InspectionMode.choices, label="检查类别")
    effective_on = django_filters.DateFilter(method="filter_effective_on", label="该日生效清单中的事项")

    class Meta:
        model = CatalogItem
        fields = ["version", "department", "code", "mode", "effective_on"]

    def filter_effective_on(self, qs: QuerySet[CatalogItem], name: str, value: Any) -> QuerySet[CatalogItem]:
        return qs.filter(version__in=[v.pk for v in queries.effective_catalogs(value, with_items=False)])


# --- Viewsets ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="检查事项清单版本列表"),
    retrieve=extend_schema(summary="检查事项清单版本详情"),
    create=extend_schema(summary="编制新版本(本部门草稿)", request=None),
)
class CatalogVersionViewSet(ServiceCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Catalog versions of every department (the catalog is public to staff)."""

    model = CatalogVersion
    create_service = staticmethod(create_version)
    serializer_class = CatalogVersionSerializer
    filterset_class = CatalogVersionFilter
    permission_classes = [CatalogPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("department", "decision")


@extend_schema_view(
    list=extend_schema(summary="检查事项列表"),
    retrieve=extend_schema(summary="检查事项详情"),
    create=extend_schema(summary="添加检查事项(草稿或已退回版本)"),
)
class CatalogItemViewSet(ServiceCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Items of catalog versions; filter ``effective_on`` for what is in force on a day."""

    model = CatalogItem
    create_service = staticmethod(add_item)
    serializer_class = CatalogItemSerializer
    filterset_class = CatalogItemFilter
    permission_classes = [CatalogPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.prefetch_related("industries")
