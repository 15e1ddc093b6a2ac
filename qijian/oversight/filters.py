"""Filters of the alert list (django-filter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from qijian.core.calendar import local_zone
from qijian.org import queries as org_queries
from qijian.org.models import Department
from qijian.oversight.choices import AlertStatus, RuleId, Severity
from qijian.oversight.models import Alert

YES_NO = [("true", "是"), ("false", "否")]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _visible_departments(request: HttpRequest | None) -> QuerySet[Department]:
    user = getattr(request, "user", None)
    return org_queries.departments_for(user).order_by("code") if user is not None else Department.objects.none()


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=local_zone())


class AlertFilter(django_filters.FilterSet):
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label="严重程度", empty_label="全部")
    rule = django_filters.ChoiceFilter(choices=RuleId.choices, label="规则", empty_label="全部规则")
    status = django_filters.ChoiceFilter(choices=AlertStatus.choices, label="状态", empty_label="全部状态")
    department = django_filters.ModelChoiceFilter(queryset=_visible_departments, label="部门", empty_label="全部部门")
    enterprise = django_filters.CharFilter(method="filter_enterprise", label="企业名称或信用代码", max_length=64)
    referral = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_referral", label="移送纪检监察候选", empty_label="不限"
    )
    since = django_filters.DateFilter(method="filter_since", label="起始日期", widget=DATE_INPUT)
    until = django_filters.DateFilter(method="filter_until", label="截止日期", widget=DATE_INPUT)

    class Meta:
        model = Alert
        fields = ["severity", "rule", "status", "department", "enterprise", "referral", "since", "until"]

    def filter_enterprise(self, qs: QuerySet[Alert], name: str, value: str) -> QuerySet[Alert]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(enterprise__name__contains=value) | Q(enterprise__uscc__startswith=value.upper()))

    def filter_referral(self, qs: QuerySet[Alert], name: str, value: str) -> QuerySet[Alert]:
        return qs.filter(referral_candidate=value == "true")

    def filter_since(self, qs: QuerySet[Alert], name: str, value: Any) -> QuerySet[Alert]:
        return qs.filter(raised_at__gte=_day_start(value))

    def filter_until(self, qs: QuerySet[Alert], name: str, value: Any) -> QuerySet[Alert]:
        return qs.filter(raised_at__lt=_day_start(value + dt.timedelta(days=1)))
