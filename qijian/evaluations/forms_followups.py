"""Forms of the follow-up pages: the list's filters, recording a follow-up, reassigning it."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest

from qijian.accounts.models import User
from qijian.evaluations.choices import FollowUpMethod, FollowUpStatus
from qijian.evaluations.models import FollowUp
from qijian.evaluations.queries import followups as queries
from qijian.evaluations.services.followups import FINDINGS_MAX, assignees
from qijian.org.models import Department

YES_NO = [("true", "是"), ("false", "否")]


def _departments(request: HttpRequest | None) -> QuerySet[Department]:
    return Department.objects.filter(pk__in=FollowUp.objects.values("department_id")).order_by("code")


class FollowUpFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=FollowUpStatus.choices, label="状态", empty_label="全部状态")
    overdue = django_filters.ChoiceFilter(choices=YES_NO, method="filter_overdue", label="已逾期", empty_label="不限")
    department = django_filters.ModelChoiceFilter(queryset=_departments, label="检查部门", empty_label="全部部门")
    mine = django_filters.ChoiceFilter(
        choices=[("true", "仅看分派给我的")], method="filter_mine", label="回访人", empty_label="全部"
    )

    class Meta:
        model = FollowUp
        fields = ["status", "overdue", "department", "mine"]

    def filter_overdue(self, qs: QuerySet[FollowUp], name: str, value: str) -> QuerySet[FollowUp]:
        return queries.overdue(qs) if value == "true" else queries.not_overdue(qs)

    def filter_mine(self, qs: QuerySet[FollowUp], name: str, value: str) -> QuerySet[FollowUp]:
        user = getattr(self.request, "user", None)
        return qs.filter(assigned_to_id=getattr(user, "pk", None)) if value == "true" else qs


class RecordForm(forms.Form):
    method = forms.ChoiceField(
        label="回访方式",
        choices=FollowUpMethod.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "请选择回访方式。", "invalid_choice": "回访方式应为电话回访、上门回访或线上回访。"},
    )
    findings = forms.CharField(
        label="回访情况",
        max_length=FINDINGS_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text="企业对本次检查的意见建议、检查是否规范、有无问题线索等。登记后不能修改。",
        error_messages={"required": "请填写回访情况(企业反映的意见和了解到的情况)。"},
    )


class AssigneeChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name}(在办{getattr(obj, 'open_follow_ups', 0)}件)"


class AssignForm(forms.Form):
    assignee = AssigneeChoice(
        label="回访人",
        queryset=User.objects.none(),
        empty_label="请选择",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "回访人须为在岗的县司法局执法监督人员。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees()  # type: ignore[attr-defined]
