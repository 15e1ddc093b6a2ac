"""Forms of the account pages. They only parse and look up; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms

from qijian.accounts.choices import Role
from qijian.core.models import VIEW
from qijian.enterprises.models import Enterprise
from qijian.org.models import Department, Inspector

_ROLE_CHOICES = [("", "请选择"), *Role.choices]


def style(form: forms.Form) -> forms.Form:
    """Give every widget its Tabler class (templates cannot add classes, and CSP forbids inline styles)."""
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)
    return form


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="动态验证码",
        regex=r"^\d{6}$",
        error_messages={"invalid": "请输入 6 位数字验证码", "required": "请输入验证码"},
    )


_NEW_PASSWORD = {"autocomplete": "new-password"}


class _PasswordPair(forms.Form):
    password1 = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs=_NEW_PASSWORD))
    password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput(attrs=_NEW_PASSWORD))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class ResetPasswordForm(_PasswordPair):
    pass


class OwnPasswordForm(_PasswordPair):
    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    field_order = ["old_password", "password1", "password2"]


class _LookupMixin(forms.Form):
    """Enterprise by credit code and inspector by certificate number, read through ``restrict``."""

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_inspector_no(self) -> Inspector | None:
        number = self.cleaned_data.get("inspector_no", "").strip()
        if not number:
            return None
        found = Inspector.objects.restrict(self.actor, VIEW).filter(certificate_no=number).first()
        if found is None:
            raise forms.ValidationError("未找到该执法证号对应的执法人员")
        return found


class CreateUserForm(_PasswordPair, _LookupMixin):
    username = forms.RegexField(
        label="用户名",
        regex=r"^[\w.@+-]{3,150}$",
        error_messages={"invalid": "用户名只能包含字母、数字和 @ . + - _,长度 3~150"},
    )
    full_name = forms.CharField(label="姓名", max_length=150)
    role = forms.ChoiceField(label="角色", choices=_ROLE_CHOICES)
    department = forms.ModelChoiceField(label="所属部门", queryset=Department.objects.none(), required=False)
    enterprise_uscc = forms.CharField(label="所属企业统一社会信用代码(企业用户)", max_length=18, required=False)
    inspector_no = forms.CharField(label="执法证号(执法人员)", max_length=32, required=False)
    person_number = forms.CharField(label="身份证号或工号(三员账号必填,仅保存其摘要)", max_length=32, required=False)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    field_order = ["username", "full_name", "role", "department", "enterprise_uscc", "inspector_no", "person_number"]

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["department"].queryset = Department.objects.restrict(actor, VIEW)  # type: ignore[attr-defined]

    def clean_enterprise_uscc(self) -> Enterprise | None:
        code = self.cleaned_data.get("enterprise_uscc", "").strip().upper()
        if not code:
            return None
        found = Enterprise.objects.restrict(self.actor, VIEW).filter(uscc=code).first()
        if found is None:
            raise forms.ValidationError("未找到该统一社会信用代码对应的企业")
        return found


class ChangeRoleForm(_LookupMixin):
    role = forms.ChoiceField(label="新角色", choices=_ROLE_CHOICES)
    inspector_no = forms.CharField(label="执法证号(改为执法人员时)", max_length=32, required=False)
    person_number = forms.CharField(label="身份证号或工号(改为三员角色且未登记时)", max_length=32, required=False)


class DeactivateForm(forms.Form):
    reason = forms.CharField(label="停用原因", max_length=200, required=False)


class UserFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=64)
    role = forms.ChoiceField(label="角色", choices=[("", "全部角色"), *Role.choices], required=False)
    department = forms.ModelChoiceField(
        label="部门", queryset=Department.objects.none(), required=False, empty_label="全部部门"
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.restrict(actor, VIEW)  # type: ignore[attr-defined]
