"""Forms of the complaint pages: the list's filters, registering, accepting, replying, rejecting, and
the enterprise's own complaint form (about one of its inspections)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from qijian.accounts.choices import Role
from qijian.accounts.models import User
from qijian.checkins.models import CheckIn
from qijian.core.imports.forms import UploadForm
from qijian.core.models import VIEW
from qijian.enterprises.models import Enterprise
from qijian.evaluations.choices import ComplaintSource, ComplaintStatus
from qijian.evaluations.models import Complaint
from qijian.evaluations.queries.complaints import overdue_q
from qijian.inspections.models import Filing
from qijian.org.models import Department

YES_NO = [("true", "是"), ("false", "否")]
_TEXTAREA = {"rows": 4, "class": "form-control"}
_TEXT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ComplaintStatus.choices, label="状态", empty_label="全部状态")
    source = django_filters.ChoiceFilter(choices=ComplaintSource.choices, label="来源", empty_label="全部来源")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.order_by("code"), label="被投诉部门", empty_label="全部部门"
    )
    overdue = django_filters.ChoiceFilter(choices=YES_NO, method="filter_overdue", label="超期", empty_label="不限")
    q = django_filters.CharFilter(method="filter_text", label="编号、工单号、企业或内容", max_length=64)

    class Meta:
        model = Complaint
        fields = ["status", "source", "department", "overdue", "q"]

    def filter_overdue(self, qs: QuerySet[Complaint], name: str, value: str) -> QuerySet[Complaint]:
        return qs.filter(overdue_q()) if value == "true" else qs.exclude(overdue_q())

    def filter_text(self, qs: QuerySet[Complaint], name: str, value: str) -> QuerySet[Complaint]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(number__icontains=value)
            | Q(external_id=value)
            | Q(enterprise__name__contains=value)
            | Q(enterprise__uscc=value.upper())
            | Q(summary__contains=value)
        )


class RegisterForm(forms.Form):
    """Staff registering a complaint taken in person, by phone or by letter (received now)."""

    complainant = forms.CharField(label="投诉人", max_length=100, required=False, widget=forms.TextInput(_TEXT))
    contact = forms.CharField(
        label="联系方式(电话或邮箱)", max_length=200, required=False, widget=forms.TextInput(_TEXT)
    )
    enterprise = forms.CharField(
        label="涉及企业(统一社会信用代码或全称)", max_length=100, required=False, widget=forms.TextInput(_TEXT)
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("code"),
        label="被投诉部门",
        required=False,
        empty_label="(未明确)",
        widget=forms.Select(attrs=_SELECT),
    )
    filing = forms.CharField(label="报备编号", max_length=32, required=False, widget=forms.TextInput(_TEXT))
    summary = forms.CharField(label="投诉内容", max_length=5000, widget=forms.Textarea(_TEXTAREA))

    def clean_enterprise(self) -> Enterprise | None:
        value = self.cleaned_data["enterprise"].strip()
        if not value:
            return None
        found = list(Enterprise.objects.filter(Q(uscc=value.upper()) | Q(name=value))[:2])
        if len(found) != 1:
            raise forms.ValidationError("未找到该企业,或名称对应多家企业(请填统一社会信用代码)。")
        return found[0]

    def clean_filing(self) -> Filing | None:
        value = self.cleaned_data["filing"].strip()
        if not value:
            return None
        found = Filing.objects.filter(number=value).select_related("department").first()
        if found is None:
            raise forms.ValidationError(f"未找到报备编号“{value}”。")
        return found


class AcceptForm(forms.Form):
    handler = forms.ModelChoiceField(
        queryset=User.objects.none(), label="承办人(县司法局)", widget=forms.Select(attrs=_SELECT)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        handlers = User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("username")
        self.fields["handler"].queryset = handlers  # type: ignore[attr-defined]
        self.fields["handler"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    outcome = forms.CharField(label="办理结果(将反馈投诉人)", max_length=5000, widget=forms.Textarea(_TEXTAREA))


class RejectForm(forms.Form):
    reason = forms.CharField(label="不予受理理由(将反馈投诉人)", max_length=5000, widget=forms.Textarea(_TEXTAREA))


class ImportForm(UploadForm):
    source = forms.ChoiceField(
        label="工单来源",
        choices=[(ComplaintSource.HOTLINE, "12345热线"), (ComplaintSource.DIRECT, "企业家直通车")],
        widget=forms.Select(attrs=_SELECT),
    )


def _inspection_choices(user: Any) -> list[tuple[str, str]]:
    """The enterprise's own inspections: filings covering it and its check-ins (newest first)."""
    filings = Filing.objects.restrict(user, VIEW).select_related("department").order_by("-window_start")[:100]  # type: ignore[attr-defined]
    checkins = (
        CheckIn.objects.restrict(user, VIEW).select_related("inspector__department").order_by("-scanned_at")[:100]  # type: ignore[attr-defined]
    )
    out = [(f"filing:{f.pk}", f"报备 {f.number} · {f.department.name} · {f.window_start:%Y-%m-%d}") for f in filings]
    out += [
        (
            f"checkin:{c.pk}",
            f"入企检查 {c.scanned_at:%Y-%m-%d %H:%M} · {c.inspector.department.name} · {c.inspector.name}",
        )
        for c in checkins
    ]
    return out


class EnterpriseComplaintForm(forms.Form):
    inspection = forms.ChoiceField(label="被投诉的检查", widget=forms.Select(attrs=_SELECT))
    summary = forms.CharField(label="投诉内容", max_length=5000, widget=forms.Textarea(_TEXTAREA))
    contact = forms.CharField(
        label="联系方式(留空则使用账号的邮箱或电话)", max_length=200, required=False, widget=forms.TextInput(_TEXT)
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = request.user
        self.fields["inspection"].choices = [("", "请选择"), *_inspection_choices(self.user)]  # type: ignore[attr-defined]

    def clean_inspection(self) -> dict[str, Any]:
        """The chosen filing or check-in, fetched again within the user's scope."""
        kind, _, pk = self.cleaned_data["inspection"].partition(":")
        model: Any = Filing if kind == "filing" else CheckIn
        found = model.objects.restrict(self.user, VIEW).filter(pk=int(pk)).first() if pk.isdigit() else None
        if found is None:
            raise forms.ValidationError("请选择本企业的一次检查。")
        return {kind: found}
