"""Forms of the filing pages. They only shape input; every rule is checked by the services."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from qijian.catalog import queries as catalog_queries
from qijian.catalog.choices import InspectionMethod
from qijian.core.calendar import local_today
from qijian.inspections import queries
from qijian.inspections.choices import UrgentReason
from qijian.inspections.models import Filing
from qijian.org.models import Inspector
from qijian.policy.loader import figure

_SPLIT = re.compile(r"[\s,,、;;]*\n[\s,,、;;]*|[,,、;;]+")
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def style(form: forms.Form) -> forms.Form:
    """Tabler classes on every widget (no inline styles: CSP)."""
    for f in form.fields.values():
        widget = f.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


class EnterprisesField(forms.CharField):
    """Enterprises, one per line (or separated by commas): a credit code (USCC) or an exact name.

    Cleans to a list of credit codes; the service refuses an unknown code by name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "检查对象企业")
        kwargs.setdefault("help_text", "每行一家:统一社会信用代码或企业全称")
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        tokens = [t.strip() for t in _SPLIT.split(text or "") if t.strip()]
        if not tokens:
            raise forms.ValidationError("请至少填写一家检查对象企业。")
        codes = [t.upper() for t in tokens if _USCC.match(t.upper())]
        names = [t for t in tokens if not _USCC.match(t.upper())]
        return codes + _codes_of_names(names)


def _codes_of_names(names: list[str]) -> list[str]:
    found = queries.enterprises_named(names)
    codes: list[str] = []
    for name in names:
        matches = found.get(name, [])
        if not matches:
            raise forms.ValidationError(f"企业库中没有名称为“{name}”的企业;请填写统一社会信用代码或企业全称。")
        if len(matches) > 1:
            raise forms.ValidationError(f"名称“{name}”对应多家企业,请改填统一社会信用代码。")
        codes.append(matches[0].uscc)
    return codes


def _field(form: forms.Form, name: str) -> Any:
    """A field of ``form`` whose choices or queryset are set per request."""
    return form.fields[name]


class InspectorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Inspector) -> str:
        return f"{obj.name}(执法证号 {obj.certificate_no},{obj.department.short_name or obj.department.name})"


def _inspectors_field() -> InspectorChoiceField:
    return InspectorChoiceField(
        queryset=Inspector.objects.none(),
        label="执法人员",
        widget=forms.CheckboxSelectMultiple,
        help_text=f"现场检查不少于{figure('inspectors.min_on_site')}名持有效执法证件的执法人员",
    )


def _moment(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, input_formats=DATETIME_FORMATS, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class EntryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.item.code} {obj.item.name}({obj.window_start:%m-%d}至{obj.window_end:%m-%d},{obj.plan})"


class PlannedFilingForm(forms.Form):
    entry = EntryChoiceField(queryset=None, label="计划条目", empty_label="请选择已审定的计划条目")
    enterprises = EnterprisesField()
    inspectors = _inspectors_field()
    window_start = _moment("检查开始时间")
    window_end = _moment("检查结束时间")
    method = forms.ChoiceField(
        label="检查方式", choices=[("", "按计划条目"), *InspectionMethod.choices], required=False
    )

    def __init__(self, *args: Any, user: Any, on: dt.date, **kwargs: Any) -> None:
        from qijian.plans import queries as plan_queries

        super().__init__(*args, **kwargs)
        entries = plan_queries.approved_entries_for_filing(user, on).select_related("plan", "item")
        _field(self, "entry").queryset = entries
        partner_ids = [p for p in entries.values_list("partners", flat=True) if p]
        _field(self, "inspectors").queryset = queries.filing_inspectors([user.department_id, *partner_ids])


class UrgentFilingForm(forms.Form):
    reason = forms.ChoiceField(label="紧急检查事由")
    reason_detail = forms.CharField(
        label="事由说明", widget=forms.Textarea(attrs={"rows": 3}), help_text="如投诉编号、事件概况、上级通知文号"
    )
    item: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label="检查事项", empty_label="请选择本部门清单内的事项"
    )
    enterprises = EnterprisesField()
    inspectors = _inspectors_field()
    window_end = _moment("检查结束时间")
    method = forms.ChoiceField(label="检查方式", choices=InspectionMethod.choices, initial=InspectionMethod.ONSITE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [str(r) for r in figure("filing.urgent_reasons")]
        _field(self, "reason").choices = [(r.value, r.label) for r in UrgentReason if r.value in allowed]
        _field(self, "item").queryset = catalog_queries.effective_items(user.department_id, local_today())
        _field(self, "inspectors").queryset = queries.filing_inspectors([user.department_id])


class SuperiorFilingForm(forms.Form):
    superior_department: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label="上级实施部门", empty_label="请选择国家、省、市级部门"
    )
    item: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label="对应本部门检查事项")
    enterprises = EnterprisesField()
    inspectors = _inspectors_field()
    window_start = _moment("检查开始时间")
    window_end = _moment("检查结束时间")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        superiors = queries.superior_departments()
        _field(self, "superior_department").queryset = superiors
        _field(self, "item").queryset = catalog_queries.effective_items(user.department_id, local_today())
        ids = [user.department_id, *superiors.values_list("pk", flat=True)]
        _field(self, "inspectors").queryset = queries.filing_inspectors(ids)


class AcceptanceVisitForm(forms.Form):
    enterprises = EnterprisesField()
    inspectors = _inspectors_field()
    window_start = _moment("勘察验收开始时间")
    window_end = _moment("勘察验收结束时间")

    def __init__(self, *args: Any, superior_filing: Filing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [superior_filing.department_id, superior_filing.superior_department_id]
        _field(self, "inspectors").queryset = queries.filing_inspectors([i for i in ids if i])
        _field(self, "enterprises").initial = "\n".join(e.uscc for e in superior_filing.enterprises.all())


class AmendFilingForm(forms.Form):
    enterprises = EnterprisesField()
    inspectors = _inspectors_field()
    window_end = _moment("检查结束时间")
    reason = forms.CharField(label="变更原因", max_length=255)

    def __init__(self, *args: Any, filing: Filing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [filing.department_id, filing.superior_department_id, *(p.pk for p in filing.partners.all())]
        _field(self, "inspectors").queryset = queries.filing_inspectors([i for i in ids if i])
        _field(self, "inspectors").initial = [i.pk for i in filing.inspectors.all()]
        _field(self, "enterprises").initial = "\n".join(e.uscc for e in filing.enterprises.all())
        _field(self, "window_end").initial = filing.window_end.astimezone(_zone()).strftime("%Y-%m-%dT%H:%M")


def _zone() -> Any:
    from qijian.core.calendar import local_zone

    return local_zone()


class CancelFilingForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=255)


class EntryDayForm(forms.Form):
    on = forms.DateField(label="计划检查日期", widget=forms.DateInput(attrs={"type": "date"}), required=False)
