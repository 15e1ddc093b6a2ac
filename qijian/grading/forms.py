from __future__ import annotations

from typing import Any

from django import forms

from qijian.enterprises.choices import Grade
from qijian.grading import queries
from qijian.meetings.models import Decision


class ProduceForm(forms.Form):
    year = forms.IntegerField(label="适用年度", min_value=2000, max_value=2100)


class ApproveForm(forms.Form):
    decision = forms.ModelChoiceField(label="会议决定", queryset=Decision.objects.none(), empty_label="请选择")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = queries.grading_decisions()  # type: ignore[attr-defined]


class OverrideForm(forms.Form):
    grade = forms.ChoiceField(label="调整为", choices=Grade.choices)
    reason = forms.CharField(label="调整理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class EntryFilterForm(forms.Form):
    grade = forms.ChoiceField(label="等级", choices=[("", "全部"), *Grade.choices], required=False)
    overridden = forms.ChoiceField(label="人工调整", choices=[("", "全部"), ("1", "仅人工调整")], required=False)
    q = forms.CharField(label="企业名称或信用代码", max_length=64, required=False)
