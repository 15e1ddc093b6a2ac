from __future__ import annotations

from typing import Any

from django import forms

from qijian.core import calendar
from qijian.core.calendar import Quarter


def next_quarter() -> Quarter:
    return Quarter.of(calendar.local_today()).next()


class RunForm(forms.Form):
    quarter = forms.CharField(label="规划季度", max_length=16, help_text="如 2027Q1")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].initial = next_quarter().code

    def clean_quarter(self) -> Quarter:
        try:
            return Quarter.parse(self.cleaned_data["quarter"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label="意见", choices=[("1", "同意"), ("0", "拒绝")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
    reason = forms.CharField(label="拒绝理由", max_length=255, required=False)


class CapacityForm(forms.Form):
    department = forms.IntegerField(widget=forms.HiddenInput)
    teams_per_day = forms.IntegerField(label="每日可派检查组数", min_value=0, max_value=1000)
