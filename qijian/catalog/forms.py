"""Forms of the catalog pages: an item, the office's approval and return."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from qijian.catalog.choices import InspectionMethod, InspectionMode
from qijian.catalog.models import CatalogItem
from qijian.enterprises.choices import EnterpriseType
from qijian.enterprises.models import Industry
from qijian.meetings.models import Decision
from qijian.meetings.queries import decisions_for

_CHECKBOXES = (forms.CheckboxInput, forms.CheckboxSelectMultiple)


def styled(form: forms.Form) -> forms.Form:
    """Tabler classes on every widget (no inline styles: CSP); checkboxes get the check class."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, _CHECKBOXES):
            css = "form-check-input"
        elif isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
    return form


def industry_choices() -> QuerySet[Industry]:
    """GB/T 4754 sections and divisions: an item lists whole sections or divisions."""
    return Industry.objects.filter(Q(parent__isnull=True) | Q(parent__parent__isnull=True)).order_by("code")


class IndustryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        prefix = "" if obj.parent_id else "【门类】"
        return f"{prefix}{obj.code} {obj.name}"


class ItemForm(forms.Form):
    code = forms.CharField(label="事项编码", max_length=32, help_text="如 YJ-001,跨版本保持不变")
    name = forms.CharField(label="检查事项", max_length=128)
    law = forms.CharField(label="法律依据", max_length=128, help_text="法律法规名称,如《中华人民共和国安全生产法》")
    article = forms.CharField(label="条款", max_length=64, required=False)
    standard = forms.CharField(label="检查标准/检查要点", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    mode = forms.ChoiceField(label="检查类别", choices=InspectionMode.choices)
    method = forms.ChoiceField(label="检查方式", choices=InspectionMethod.choices)
    joinable = forms.BooleanField(label="可联合检查", required=False, initial=True)
    industries = IndustryChoice(
        label="适用行业(不选表示所有行业)",
        queryset=Industry.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    enterprise_types = forms.MultipleChoiceField(
        label="适用市场主体类型(不选表示所有类型)",
        choices=EnterpriseType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industries"].queryset = industry_choices()  # type: ignore[attr-defined]
        styled(self)

    @classmethod
    def for_item(cls, item: CatalogItem, data: Any = None) -> ItemForm:
        initial = {name: getattr(item, name) for name in ("code", "name", "law", "article", "standard", "mode")}
        initial |= {"method": item.method, "joinable": item.joinable, "enterprise_types": item.enterprise_types}
        initial["industries"] = list(item.industries.all())
        return cls(data, initial=initial)


class ApproveForm(forms.Form):
    decision: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="联席会议决定", queryset=Decision.objects.none(), empty_label="请选择决定"
    )
    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions_for(user, subject="catalog")  # type: ignore[attr-defined]
        styled(self)


class ReturnForm(forms.Form):
    comment = forms.CharField(label="退回意见", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        styled(self)
