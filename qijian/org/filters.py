"""Filters of the department and inspector lists (django-filter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from qijian.org import queries
from qijian.org.choices import DepartmentLevel, InspectorStatus
from qijian.org.models import Department, Inspector

YES_NO = [("true", "是"), ("false", "否")]
EXPIRY_CHOICES = [("expired", "已过期"), ("30", "30 天内到期"), ("90", "90 天内到期")]


class DepartmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索", max_length=64)
    level = django_filters.ChoiceFilter(choices=DepartmentLevel.choices, label="层级", empty_label="全部层级")
    region = django_filters.ModelChoiceFilter(
        queryset=lambda request: queries.filter_regions(), label="所在区划", empty_label="全部区划"
    )
    high_frequency = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_high_frequency", label="高频检查部门", empty_label="不限"
    )

    class Meta:
        model = Department
        fields = ["q", "level", "region", "high_frequency"]

    def search(self, qs: QuerySet[Department], name: str, value: str) -> QuerySet[Department]:
        value = value.strip()
        return qs.filter(Q(name__contains=value) | Q(short_name__contains=value) | Q(code__startswith=value))

    def filter_high_frequency(self, qs: QuerySet[Department], name: str, value: str) -> QuerySet[Department]:
        return qs.filter(high_frequency=value == "true")


def _visible_departments(request: HttpRequest | None) -> QuerySet[Department]:
    user = getattr(request, "user", None)
    return queries.departments_for(user).order_by("code") if user is not None else Department.objects.none()


class InspectorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="姓名或执法证号", max_length=32)
    department = django_filters.ModelChoiceFilter(
        queryset=_visible_departments, label="所属部门", empty_label="全部部门"
    )
    status = django_filters.ChoiceFilter(choices=InspectorStatus.choices, label="状态", empty_label="全部状态")
    expiring = django_filters.ChoiceFilter(
        choices=EXPIRY_CHOICES, method="filter_expiring", label="证件有效期", empty_label="不限"
    )

    class Meta:
        model = Inspector
        fields = ["q", "department", "status", "expiring"]

    def search(self, qs: QuerySet[Inspector], name: str, value: str) -> QuerySet[Inspector]:
        value = value.strip()
        if value.isdigit():
            return qs.filter(certificate_no__startswith=value)
        return qs.filter(Q(name__contains=value) | Q(certificate_no__startswith=value.upper()))

    def filter_expiring(self, qs: QuerySet[Inspector], name: str, value: Any) -> QuerySet[Inspector]:
        today = queries.today()
        if value == "expired":
            return qs.filter(certificate_valid_until__lt=today)
        limit = today + dt.timedelta(days=int(value))
        return qs.filter(certificate_valid_until__gte=today, certificate_valid_until__lte=limit)
