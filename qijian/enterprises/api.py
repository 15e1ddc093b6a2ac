"""REST API of the enterprise registry: industries (GB/T 4754) and enterprises."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from qijian.accounts.choices import Role
from qijian.core.api import KeysetPagination, role_permission
from qijian.core.api_views import IdFilter, ScopedViewSet, ServiceCreateMixin
from qijian.core.codes.uscc import check_uscc
from qijian.enterprises import queries
from qijian.enterprises.choices import EnterpriseStatus, EnterpriseType, Grade, UsccStatus
from qijian.enterprises.models import REGISTRY_READERS, Enterprise, Industry
from qijian.enterprises.services import register_enterprise
from qijian.org.choices import RegionLevel
from qijian.org.models import Region

ENTERPRISE_WRITERS = frozenset({Role.SYSADMIN})

IndustryPermission = role_permission("IndustryPermission", read=frozenset(Role))
EnterprisePermission = role_permission(
    "EnterprisePermission", read=REGISTRY_READERS | {Role.ENTERPRISE}, write=ENTERPRISE_WRITERS
)
_FORMAT_ERRORS = ("长度应为", "含有不允许的字符", "第3–8位")


class CodeOrdered(KeysetPagination):
    ordering = "code"


class IndustrySerializer(serializers.ModelSerializer[Industry]):
    class Meta:
        model = Industry
        fields = ["id", "code", "name", "parent"]


class EnterpriseSerializer(serializers.ModelSerializer[Enterprise]):
    """An enterprise. On create the credit code is checked (GB 32100); a pilot code that fails only
    the check characters is stored with ``uscc_status = pilot``."""

    township = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.filter(level__in=[RegionLevel.TOWNSHIP, RegionLevel.ZONE]),
        label="所在乡镇/开发区",
        help_text="乡镇或开发区的区划编号(id)",
    )
    township_name = serializers.CharField(source="township.name", read_only=True, label="乡镇/开发区名称")
    industry_name = serializers.CharField(source="industry.name", read_only=True, label="行业名称")

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "uscc",
            "uscc_status",
            "name",
            "type",
            "industry",
            "industry_name",
            "township",
            "township_name",
            "address",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "status",
            "grade",
            "established_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uscc_status", "grade", "created_at", "updated_at"]

    def to_representation(self, instance: Enterprise) -> dict[str, Any]:
        """Grades are not disclosed outside the administration, not even to the enterprise itself."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        if getattr(getattr(request, "user", None), "role", None) == Role.ENTERPRISE:
            data.pop("grade", None)
        return data

    def validate_uscc(self, value: str) -> str:
        result = check_uscc(value)
        if not result.ok and result.message.startswith(_FORMAT_ERRORS):
            raise serializers.ValidationError(f"统一社会信用代码格式不正确:{result.message}")
        if Enterprise.objects.filter(uscc=result.code).exists():
            raise serializers.ValidationError("该统一社会信用代码已登记。")
        return result.code


class EnterpriseFilter(django_filters.FilterSet):
    township = IdFilter(field_name="township_id", label="乡镇/开发区编号")
    industry = django_filters.ModelChoiceFilter(
        queryset=Industry.objects.all(), method="filter_industry", label="行业编号(含下级行业)"
    )
    type = django_filters.ChoiceFilter(choices=EnterpriseType.choices, label="市场主体类型")
    status = django_filters.ChoiceFilter(choices=EnterpriseStatus.choices, label="经营状态")
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label="分级分类", method="filter_grade")
    uscc_status = django_filters.ChoiceFilter(choices=UsccStatus.choices, label="代码校验状态")
    uscc = django_filters.CharFilter(method="filter_uscc", label="统一社会信用代码(完整或前缀)", max_length=18)
    name = django_filters.CharFilter(lookup_expr="contains", label="企业名称包含", max_length=64)

    class Meta:
        model = Enterprise
        fields = ["township", "industry", "type", "status", "grade", "uscc_status", "uscc", "name"]

    def filter_industry(self, qs: QuerySet[Enterprise], name: str, value: Industry) -> QuerySet[Enterprise]:
        return qs.filter(industry_id__in=queries.industry_subtree(value))

    def filter_grade(self, qs: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        """No grade filter for an enterprise's account: it would disclose the enterprise's own grade."""
        if getattr(getattr(self.request, "user", None), "role", None) == Role.ENTERPRISE:
            return qs
        return qs.filter(grade=value)

    def filter_uscc(self, qs: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return qs.filter(uscc__startswith=value.strip().upper())


@extend_schema_view(list=extend_schema(summary="国民经济行业列表"), retrieve=extend_schema(summary="行业详情"))
class IndustryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """GB/T 4754-2017 industries: sections, divisions, groups and classes."""

    model = Industry
    serializer_class = IndustrySerializer
    pagination_class = CodeOrdered
    permission_classes = [IndustryPermission]
    filterset_fields = ["parent"]


@extend_schema_view(
    list=extend_schema(summary="企业列表"),
    retrieve=extend_schema(summary="企业详情"),
    create=extend_schema(summary="登记企业"),
)
class EnterpriseViewSet(ServiceCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Enterprises; an enterprise user sees only its own enterprise."""

    model = Enterprise
    create_service = staticmethod(register_enterprise)
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    permission_classes = [EnterprisePermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("township", "industry")
