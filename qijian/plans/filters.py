"""Filters of the plan and work-report lists (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest

from qijian.accounts.choices import OVERSEERS
from qijian.org.models import Department
from qijian.plans.choices import PlanKind, PlanStatus
from qijian.plans.models import Plan, WorkReport

QUARTERS = [(n, f"第{n}季度") for n in range(1, 5)]


def _departments(request: HttpRequest | None) -> QuerySet[Department]:
    user: Any = getattr(request, "user", None)
    if user is None or getattr(user, "role", None) not in OVERSEERS:
        return Department.objects.none()
    return Department.objects.filter(level="county", is_enforcement=True).order_by("code")


class PlanFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度", min_value=2000, max_value=2100)
    quarter = django_filters.ChoiceFilter(choices=QUARTERS, label="季度", empty_label="全部季度")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label="状态", empty_label="全部状态")
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices, label="计划类型", empty_label="全部类型")
    department = django_filters.ModelChoiceFilter(queryset=_departments, label="部门", empty_label="全部部门")

    class Meta:
        model = Plan
        fields = ["year", "quarter", "status", "kind", "department"]


class WorkReportFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度", min_value=2000, max_value=2100)
    quarter = django_filters.ChoiceFilter(choices=QUARTERS, label="季度", empty_label="全部季度")
    department = django_filters.ModelChoiceFilter(queryset=_departments, label="部门", empty_label="全部部门")

    class Meta:
        model = WorkReport
        fields = ["year", "quarter", "department"]
