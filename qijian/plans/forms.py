"""Forms of the plan pages. They only parse and look up (through scoped queries); the services decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from qijian.catalog.choices import InspectionMethod
from qijian.core.calendar import local_today
from qijian.core.codes.uscc import ALPHABET
from qijian.core.models import VIEW
from qijian.enterprises.models import Enterprise
from qijian.plans import queries
from qijian.plans.choices import Completion, InspectionLevel
from qijian.plans.models import Plan, PlanEntry

_USCC_SPLIT = re.compile(r"[\s,,;;、]+")
MAX_TARGETS = 500
_DATE = {"type": "date"}


def style(form: forms.Form) -> forms.Form:
    """Tabler classes on every widget (templates cannot add classes, and CSP forbids inline styles)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
    return form


def _year_choices() -> list[tuple[int, str]]:
    year = local_today().year
    return [(y, f"{y}年") for y in range(year - 1, year + 3)]


class PlanCreateForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=[])
    quarter = forms.TypedChoiceField(
        label="季度", coerce=int, choices=[(n, f"第{n}季度") for n in range(1, 5)], required=False, empty_value=None
    )

    def __init__(self, *args: Any, annual: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()  # type: ignore[attr-defined]
        if annual:
            del self.fields["quarter"]
        else:
            self.fields["quarter"].required = True


class EntryForm(forms.Form):
    item = forms.ModelChoiceField(label="检查事项", queryset=PlanEntry.objects.none(), empty_label="请选择")
    window_start = forms.DateField(label="计划检查时间(起)", widget=forms.DateInput(attrs=_DATE))
    window_end = forms.DateField(label="计划检查时间(止)", widget=forms.DateInput(attrs=_DATE))
    expected_count = forms.IntegerField(label="预计检查户次", min_value=1, max_value=1_000_000)
    basis = forms.CharField(label="检查依据", max_length=255, required=False, help_text="为空时取检查事项的法律依据")
    method = forms.ChoiceField(label="检查方式", choices=InspectionMethod.choices)
    joint = forms.BooleanField(label="联合检查", required=False)
    partners = forms.ModelMultipleChoiceField(
        label="联合部门",
        queryset=PlanEntry.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    targets = forms.CharField(
        label="检查对象(统一社会信用代码)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行或以逗号分隔一个统一社会信用代码;可在“企业”页面按名称查找代码",
    )
    target_rule = forms.CharField(label="抽查范围与比例", max_length=255, required=False)
    level = forms.ChoiceField(label="检查层级", choices=InspectionLevel.choices, initial=InspectionLevel.COUNTY)
    implementing_department = forms.ModelChoiceField(
        label="实施部门(上级或乡镇)", queryset=PlanEntry.objects.none(), required=False, empty_label="本部门"
    )
    multi_level_joint = forms.BooleanField(label="多层级联合检查", required=False)
    participants = forms.CharField(label="参与层级及部门", max_length=255, required=False)
    township_notice = forms.CharField(label="属地政府通知情况", max_length=255, required=False)
    acceptance_plan = forms.CharField(label="验收勘察安排(最多一次)", max_length=255, required=False)
    note = forms.CharField(label="备注", max_length=255, required=False)

    def __init__(self, *args: Any, plan: Plan, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["item"].queryset = queries.catalog_items_for(plan)  # type: ignore[attr-defined]
        self.fields["partners"].queryset = queries.partner_departments(plan)  # type: ignore[attr-defined]
        self.fields["implementing_department"].queryset = queries.implementing_departments()  # type: ignore[attr-defined]

    def clean_targets(self) -> list[Enterprise]:
        codes = [c.upper() for c in _USCC_SPLIT.split(self.cleaned_data.get("targets", "")) if c]
        if len(codes) > MAX_TARGETS:
            raise forms.ValidationError(f"检查对象最多 {MAX_TARGETS} 家;更多企业请填写抽查范围与比例。")
        bad = [c for c in codes if len(c) != 18 or any(ch not in ALPHABET for ch in c)]
        if bad:
            raise forms.ValidationError(f"不是统一社会信用代码:{'、'.join(bad[:5])}")
        found = {e.uscc: e for e in Enterprise.objects.restrict(self.actor, VIEW).filter(uscc__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(f"未找到企业:{'、'.join(missing[:5])}")
        return list(dict.fromkeys(found[c] for c in codes))

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_from(entry: PlanEntry) -> dict[str, Any]:
        initial = {name: getattr(entry, name) for name in _ENTRY_INITIAL}
        initial["partners"] = list(entry.partners.all())
        initial["targets"] = "\n".join(e.uscc for e in entry.targets.all())
        return initial


_ENTRY_INITIAL = (
    "item",
    "window_start",
    "window_end",
    "expected_count",
    "basis",
    "method",
    "joint",
    "target_rule",
    "level",
    "implementing_department",
    "multi_level_joint",
    "participants",
    "township_notice",
    "acceptance_plan",
    "note",
)


class ReviewForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="审核结论",
        choices=[("1", "审核通过"), ("0", "退回修改")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    decision = forms.ModelChoiceField(label="会议决定", queryset=PlanEntry.objects.none(), empty_label="请选择")

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = queries.decisions_for(plan)  # type: ignore[attr-defined]


class ReturnForm(forms.Form):
    comment = forms.CharField(label="退回意见", widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(forms.Form):
    until = forms.DateField(label="延期报送至", widget=forms.DateInput(attrs=_DATE))
    reason = forms.CharField(label="延期原因", max_length=255)


class CompletionForm(forms.Form):
    completion = forms.ChoiceField(label="完成情况", choices=Completion.choices)
    actual_count = forms.IntegerField(label="实际检查户次", min_value=0, max_value=1_000_000)
    joint_count = forms.IntegerField(label="其中联合检查户次", min_value=0, max_value=1_000_000)
    remote_count = forms.IntegerField(label="其中非现场检查户次", min_value=0, max_value=1_000_000)
    problem_count = forms.IntegerField(label="发现问题户次", min_value=0, max_value=1_000_000)
    no_penalty_count = forms.IntegerField(label="免罚件数", min_value=0, max_value=1_000_000)
    reduced_penalty_count = forms.IntegerField(label="减轻处罚件数", min_value=0, max_value=1_000_000)
    no_coercion_count = forms.IntegerField(label="不予强制件数", min_value=0, max_value=1_000_000)
    reason = forms.CharField(label="未完成原因", max_length=255, required=False)
    note = forms.CharField(label="备注", max_length=255, required=False)

    @staticmethod
    def initial_from(entry: PlanEntry) -> dict[str, Any]:
        names = [n for n in CompletionForm.base_fields if n not in ("reason", "note")]
        initial = {n: getattr(entry, n) for n in names if getattr(entry, n) not in (None, "")}
        return initial | {"reason": entry.completion_reason, "note": entry.completion_note}


class WorkReportForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=[])
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=[(n, f"第{n}季度") for n in range(1, 5)])
    text = forms.CharField(label="工作情况", max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()  # type: ignore[attr-defined]
