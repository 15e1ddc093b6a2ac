"""Filters of the filing list (django-filter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from qijian.core.calendar import end_of_day, local_zone
from qijian.inspections import queries
from qijian.inspections.choices import FilingKind, FilingStatus
from qijian.inspections.models import Filing
from qijian.org.models import Department

KIND_CHOICES = [
    *FilingKind.choices,
    ("superior", "上级部门检查"),
    ("acceptance", "勘察验收"),
]


def _departments(request: HttpRequest | None) -> QuerySet[Department]:
    user = getattr(request, "user", None)
    return queries.visible_departments(user) if user is not None else Department.objects.none()


class FilingFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(queryset=_departments, label="报备部门", empty_label="全部部门")
    kind = django_filters.ChoiceFilter(
        choices=KIND_CHOICES, method="filter_kind", label="报备类型", empty_label="全部类型"
    )
    status = django_filters.ChoiceFilter(choices=FilingStatus.choices, label="状态", empty_label="全部状态")
    day = django_filters.DateFilter(
        method="filter_day", label="检查日期", widget=forms.DateInput(attrs={"type": "date"})
    )
    enterprise = django_filters.CharFilter(method="filter_enterprise", label="企业名称或信用代码", max_length=64)
    unread = django_filters.BooleanFilter(method="filter_unread", label="仅看未查阅", widget=forms.CheckboxInput)

    class Meta:
        model = Filing
        fields = ["department", "kind", "status", "day", "enterprise", "unread"]

    def filter_kind(self, qs: QuerySet[Filing], name: str, value: str) -> QuerySet[Filing]:
        if value == "superior":
            return qs.filter(superior_department__isnull=False, acceptance_of__isnull=True)
        if value == "acceptance":
            return qs.filter(acceptance_of__isnull=False)
        return qs.filter(kind=value)

    def filter_day(self, qs: QuerySet[Filing], name: str, value: Any) -> QuerySet[Filing]:
        start = dt.datetime.combine(value, dt.time(), tzinfo=local_zone())
        return qs.filter(window_start__lte=end_of_day(value), window_end__gte=start)

    def filter_enterprise(self, qs: QuerySet[Filing], name: str, value: str) -> QuerySet[Filing]:
        value = value.strip()
        if not value:
            return qs
        match = Q(enterprises__uscc=value.upper()) | Q(enterprises__name__contains=value)
        return qs.filter(pk__in=Filing.objects.filter(match).values("pk"))

    def filter_unread(self, qs: QuerySet[Filing], name: str, value: Any) -> QuerySet[Filing]:
        return qs.filter(office_read_at__isnull=True) if value else qs
