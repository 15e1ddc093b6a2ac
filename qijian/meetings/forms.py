"""Forms of the meetings pages (the office records meetings and decisions)."""

from __future__ import annotations

from django import forms

from qijian.accounts.forms import style
from qijian.meetings.choices import DecisionSubject, MeetingKind


class MeetingForm(forms.Form):
    title = forms.CharField(label="会议名称", max_length=128)
    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    held_on = forms.DateField(label="召开日期", widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.CharField(label="会议纪要", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        style(self)


class DecisionForm(forms.Form):
    subject = forms.ChoiceField(label="事项类别", choices=DecisionSubject.choices)
    text = forms.CharField(label="决定内容", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        style(self)
