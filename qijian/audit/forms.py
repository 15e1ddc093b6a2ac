from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from qijian.audit.queries import EventFilter


def _text(placeholder: str) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": placeholder})


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


class EventSearchForm(forms.Form):
    action = forms.CharField(label="操作(前缀)", max_length=64, required=False, widget=_text("如 enterprises."))
    actor = forms.CharField(label="操作人(用户名)", max_length=150, required=False, widget=_text("用户名"))
    target = forms.CharField(label="对象", max_length=255, required=False, widget=_text("编号、类型或名称片段"))
    since = forms.DateField(label="起始日期", required=False, widget=_date())
    until = forms.DateField(label="截止日期(含)", required=False, widget=_date())

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data

    def to_filter(self) -> EventFilter:
        data = self.cleaned_data if self.is_valid() else {}
        since, until = data.get("since"), data.get("until")
        return EventFilter(
            action=(data.get("action") or "").strip(),
            actor=(data.get("actor") or "").strip(),
            target=(data.get("target") or "").strip(),
            since=_midnight(since) if since else None,
            until=_midnight(until + dt.timedelta(days=1)) if until else None,
        )


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
