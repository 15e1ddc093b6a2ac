"""Forms of the check-in pages: the list's filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from qijian.checkins.choices import CheckInResult, CheckInStatus
from qijian.checkins.models import CheckIn

_ANY = [("", "全部")]


class CheckInFilterForm(forms.Form):
    q = forms.CharField(label="企业名称或信用代码", required=False, max_length=64)
    unfiled = forms.ChoiceField(label="报备情况", required=False, choices=[*_ANY, ("1", "未报备入企"), ("0", "已报备")])
    status = forms.ChoiceField(label="状态", required=False, choices=_ANY + list(CheckInStatus.choices))
    result = forms.ChoiceField(label="检查结果", required=False, choices=_ANY + list(CheckInResult.choices))

    def apply(self, qs: QuerySet[CheckIn]) -> QuerySet[CheckIn]:
        if not self.is_valid():
            return qs
        data: dict[str, Any] = self.cleaned_data
        if data["q"]:
            text = data["q"].strip()
            qs = (
                qs.filter(enterprise__uscc=text.upper())
                if len(text) == 18
                else qs.filter(enterprise__name__contains=text)
            )
        if data["unfiled"]:
            qs = qs.filter(unfiled=data["unfiled"] == "1")
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["result"]:
            qs = qs.filter(result=data["result"])
        return qs
