"""Filters of the enterprise list (django-filter). Every filter is served by an index (docs/pages.md)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from qijian.enterprises import queries
from qijian.enterprises.choices import EnterpriseStatus, EnterpriseType, Grade, UsccStatus
from qijian.enterprises.models import Enterprise, Industry
from qijian.org.queries import townships


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="企业名称或信用代码前缀", max_length=64)
    township = django_filters.ModelChoiceFilter(
        queryset=lambda request: townships(), label="乡镇/开发区", empty_label="全部乡镇"
    )
    industry = django_filters.ModelChoiceFilter(
        queryset=lambda request: queries.industry_choices(),
        method="filter_industry",
        label="行业门类/大类",
        empty_label="全部行业",
    )
    type = django_filters.ChoiceFilter(choices=EnterpriseType.choices, label="市场主体类型", empty_label="全部类型")
    status = django_filters.ChoiceFilter(choices=EnterpriseStatus.choices, label="经营状态", empty_label="全部状态")
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label="分级分类", empty_label="全部等级")
    uscc_status = django_filters.ChoiceFilter(choices=UsccStatus.choices, label="代码校验", empty_label="不限")

    class Meta:
        model = Enterprise
        fields = ["q", "township", "industry", "type", "status", "grade", "uscc_status"]

    def search(self, qs: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return queries.search_enterprises(qs, value)

    def filter_industry(self, qs: QuerySet[Enterprise], name: str, value: Industry) -> QuerySet[Enterprise]:
        return qs.filter(industry_id__in=queries.industry_subtree(value))
