"""Forms of the oversight pages."""

from __future__ import annotations

from django import forms


class ResolveForm(forms.Form):
    comment = forms.CharField(
        label="处理意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
