"""The prepare form: entries, how many (count or base ratio), optional industry and townships."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from qijian.org.models import Region
from qijian.sampling import queries


class EntryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.plan.year}年 {obj.plan.department.name} · {obj.item.name}(预计{obj.expected_count}户)"


class PrepareForm(forms.Form):
    entries = EntryChoice(
        label="双随机计划条目", queryset=queries.ready_entries(), help_text="选择多个即一业一查联合抽取(须填写行业)"
    )
    count = forms.IntegerField(label="抽取户数", required=False, min_value=1, max_value=1_000_000)
    base_percent = forms.DecimalField(
        label="基准抽查比例(%)", required=False, min_value=Decimal("0.0001"), max_value=100, decimal_places=4
    )
    industry_prefix = forms.CharField(label="行业代码(一业一查)", required=False, max_length=5)
    townships = forms.ModelMultipleChoiceField(
        label="乡镇范围(不选即全县)", required=False, queryset=Region.objects.filter(level="township").order_by("code")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = queries.ready_entries()  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        percent = data.get("base_percent")
        return {
            "entries": list(data["entries"]),
            "count": data.get("count"),
            "base_ratio": None if percent is None else percent / 100,
            "industry_prefix": (data.get("industry_prefix") or "").strip().upper(),
            "townships": [r.pk for r in data.get("townships") or []],
        }
