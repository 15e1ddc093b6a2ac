"""Plan pages: list, detail with the role's actions, entry and completion forms, work reports.

Each view checks the role, fetches through the scoped queries, calls one service and renders; a
refused action comes back as a Chinese message and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from qijian.accounts.choices import OVERSEERS, Role
from qijian.core.calendar import Quarter, local_today
from qijian.core.pagination import keyset_page
from qijian.core.views import require_visible, style_form, timeline
from qijian.enterprises.queries import enterprises_for, search_enterprises
from qijian.plans import forms as plan_forms
from qijian.plans import periods, queries, services
from qijian.plans.choices import PlanKind, PlanStatus, ReviewStatus
from qijian.plans.filters import PlanFilter, WorkReportFilter
from qijian.plans.models import Plan, PlanEntry, WorkReport

_REVIEW_PART = {Role.RANDOM_COORDINATOR: "random_review", Role.SUPERVISOR: "targeted_review"}


def _role(request: HttpRequest) -> str:
    return str(getattr(request.user, "role", ""))


def _form_error(form: Any) -> str:
    return ";".join(str(e) for errors in form.errors.values() for e in errors)


# --- list and creation --------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    require_visible(Plan, request.user)
    filterset = PlanFilter(request.GET, queryset=queries.plan_rows(request.user), request=request)
    context = {
        "filter_form": style_form(filterset.form),
        "page": keyset_page(filterset.qs, request.GET),
        "can_create": _role(request) in (Role.DEPT_ADMIN, Role.RANDOM_COORDINATOR),
    }
    return render(request, "plans/plan_list.html", context)


def _create_kwargs(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    annual = _role(request) == Role.RANDOM_COORDINATOR
    kind = PlanKind.ANNUAL_RANDOM if annual else PlanKind.QUARTERLY
    department = request.user.department  # type: ignore[union-attr]
    return {"department": department, "year": data["year"], "quarter": data.get("quarter"), "kind": kind}


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    if _role(request) not in (Role.DEPT_ADMIN, Role.RANDOM_COORDINATOR):
        raise PermissionDenied("只有部门管理员或县市场监管局可以编制检查计划。")
    annual = _role(request) == Role.RANDOM_COORDINATOR
    form = plan_forms.style(plan_forms.PlanCreateForm(request.POST or None, annual=annual))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, **_create_kwargs(request, form.cleaned_data))
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已新建{plan}")
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_create.html", {"form": form, "annual": annual})


# --- detail -------------------------------------------------------------------------------------------


def _actions(request: HttpRequest, plan: Plan) -> dict[str, bool]:
    role, editable = _role(request), queries.can_edit(request.user, plan)
    part = _REVIEW_PART.get(role)  # type: ignore[call-overload]
    office = role == Role.OFFICE
    return {
        "can_edit": editable,
        "can_submit": editable,
        "can_review": plan.status == PlanStatus.SUBMITTED and part and getattr(plan, part) == ReviewStatus.PENDING,
        "can_approve": office and services.is_approvable(plan),
        "can_return": office and plan.status in (PlanStatus.SUBMITTED, PlanStatus.REVIEWED),
        "can_extend": office and plan.status in services.EDITABLE and plan.submitted_at is None,
        "can_complete": plan.status == PlanStatus.APPROVED and _is_editor(request, plan),
    }


def _is_editor(request: HttpRequest, plan: Plan) -> bool:
    role = _role(request)
    if plan.kind == PlanKind.ANNUAL_RANDOM:
        return role == Role.RANDOM_COORDINATOR
    return role == Role.DEPT_ADMIN and request.user.department_id == plan.department_id  # type: ignore[union-attr]


def _detail_context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    actions = _actions(request, plan)
    return {
        "plan": plan,
        "entries": list(queries.entries_of(request.user, plan)),
        "window": periods.submission_window(plan),
        "completion_opens": periods.completion_opens(plan),
        "timeline": timeline(plan),
        "review_form": plan_forms.style(plan_forms.ReviewForm()) if actions["can_review"] else None,
        "approve_form": plan_forms.style(plan_forms.ApproveForm(plan=plan)) if actions["can_approve"] else None,
        "return_form": plan_forms.style(plan_forms.ReturnForm()) if actions["can_return"] else None,
        "extension_form": plan_forms.style(plan_forms.ExtensionForm()) if actions["can_extend"] else None,
        "can_import": queries.is_author(request.user, plan),
        "can_export": request.user.role in OVERSEERS or queries.is_author(request.user, plan),  # type: ignore[union-attr]
    } | actions


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(queries.plans_for(request.user), pk=pk)
    return render(request, "plans/plan_detail.html", _detail_context(request, plan))


# --- plan actions (POST) ------------------------------------------------------------------------------


def _done(request: HttpRequest, plan: Plan, error: str | None, success: str) -> HttpResponse:
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect("plans:plan_detail", pk=plan.pk)


def _plan_action(
    request: HttpRequest, pk: int, form_class: Any, call: Callable[[Plan, dict[str, Any]], Any], success: str
) -> HttpResponse:
    plan = get_object_or_404(queries.plans_for(request.user), pk=pk)
    form = form_class(request.POST, plan=plan) if form_class is plan_forms.ApproveForm else form_class(request.POST)
    if not form.is_valid():
        return _done(request, plan, _form_error(form), "")
    try:
        call(plan, form.cleaned_data)
    except services.PlanError as exc:
        return _done(request, plan, str(exc), "")
    return _done(request, plan, None, success)


class _NoFields(plan_forms.forms.Form):
    pass


@require_POST
@login_required
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def call(plan: Plan, data: dict[str, Any]) -> Any:
        return services.submit_plan(actor=request.user, plan=plan)

    return _plan_action(request, pk, _NoFields, call, "计划已报送,等待审核")


@require_POST
@login_required
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    def call(plan: Plan, data: dict[str, Any]) -> Any:
        return services.review_plan(actor=request.user, plan=plan, passed=data["passed"], comment=data["comment"])

    return _plan_action(request, pk, plan_forms.ReviewForm, call, "已提交审核意见")


@require_POST
@login_required
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def call(plan: Plan, data: dict[str, Any]) -> Any:
        return services.approve_plan(actor=request.user, plan=plan, decision=data["decision"])

    return _plan_action(request, pk, plan_forms.ApproveForm, call, "计划已审定")


@require_POST
@login_required
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    def call(plan: Plan, data: dict[str, Any]) -> Any:
        return services.return_plan(actor=request.user, plan=plan, comment=data["comment"])

    return _plan_action(request, pk, plan_forms.ReturnForm, call, "计划已退回")


@require_POST
@login_required
def plan_extension(request: HttpRequest, pk: int) -> HttpResponse:
    def call(plan: Plan, data: dict[str, Any]) -> Any:
        return services.grant_extension(actor=request.user, plan=plan, until=data["until"], reason=data["reason"])

    return _plan_action(request, pk, plan_forms.ExtensionForm, call, "已批准延期报送")


# --- entries ------------------------------------------------------------------------------------------


def _editable_plan(request: HttpRequest, pk: int) -> Plan:
    plan = get_object_or_404(queries.plans_for(request.user), pk=pk)
    if not _is_editor(request, plan):
        raise PermissionDenied("您无权编辑此计划。")
    return plan


def _entry_page(request: HttpRequest, plan: Plan, form: Any, entry: PlanEntry | None) -> HttpResponse:
    return render(request, "plans/entry_form.html", {"plan": plan, "form": form, "entry": entry})


@login_required
def entry_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    form = plan_forms.style(plan_forms.EntryForm(request.POST or None, plan=plan, actor=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_entry(actor=request.user, plan=plan, **form.cleaned_data)
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已添加计划条目")
            return redirect("plans:plan_detail", pk=plan.pk)
    return _entry_page(request, plan, form, None)


def _editable_entry(request: HttpRequest, pk: int) -> PlanEntry:
    entry = get_object_or_404(queries.plan_entries_for(request.user), pk=pk)
    if not _is_editor(request, entry.plan):
        raise PermissionDenied("您无权编辑此计划。")
    return entry


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _editable_entry(request, pk)
    initial = plan_forms.EntryForm.initial_from(entry)
    form = plan_forms.EntryForm(request.POST or None, plan=entry.plan, actor=request.user, initial=initial)
    plan_forms.style(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_entry(actor=request.user, entry=entry, **form.cleaned_data)
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存计划条目")
            return redirect("plans:plan_detail", pk=entry.plan_id)
    return _entry_page(request, entry.plan, form, entry)


TARGET_SEARCH_LIMIT = 20


@login_required
def target_search(request: HttpRequest) -> HttpResponse:
    """htmx fragment for the entry form: enterprises by name or credit-code prefix, to copy a code from."""
    if _role(request) not in (Role.DEPT_ADMIN, Role.RANDOM_COORDINATOR):
        raise PermissionDenied("无权访问此页面。")
    text = request.GET.get("q", "").strip()[:64]
    rows = []
    if len(text) >= 2:
        found = search_enterprises(enterprises_for(request.user), text).filter(status="operating")
        rows = list(found.order_by("id")[:TARGET_SEARCH_LIMIT])
    return render(request, "plans/_target_search.html", {"rows": rows, "q": text})


@require_POST
@login_required
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _editable_entry(request, pk)
    plan = entry.plan
    try:
        services.remove_entry(actor=request.user, entry=entry)
    except services.PlanError as exc:
        return _done(request, plan, str(exc), "")
    return _done(request, plan, None, "已删除计划条目")


@login_required
def entry_completion(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _editable_entry(request, pk)
    initial = plan_forms.CompletionForm.initial_from(entry)
    form = plan_forms.style(plan_forms.CompletionForm(request.POST or None, initial=initial))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_completion(actor=request.user, entry=entry, **form.cleaned_data)
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已报送完成情况")
            return redirect("plans:plan_detail", pk=entry.plan_id)
    return render(request, "plans/completion_form.html", {"entry": entry, "plan": entry.plan, "form": form})


# --- work reports -------------------------------------------------------------------------------------


@login_required
def work_report_list(request: HttpRequest) -> HttpResponse:
    require_visible(WorkReport, request.user)
    filterset = WorkReportFilter(request.GET, queryset=queries.work_reports_for(request.user), request=request)
    context = {
        "filter_form": style_form(filterset.form),
        "page": keyset_page(filterset.qs, request.GET),
        "can_create": _role(request) == Role.DEPT_ADMIN,
    }
    return render(request, "plans/work_report_list.html", context)


def _default_quarter() -> dict[str, int]:
    last = Quarter.of(local_today()).previous()
    return {"year": last.year, "quarter": last.number}


@login_required
def work_report_create(request: HttpRequest) -> HttpResponse:
    if _role(request) != Role.DEPT_ADMIN:
        raise PermissionDenied("只有部门管理员可以报送工作情况。")
    form = plan_forms.style(plan_forms.WorkReportForm(request.POST or None, initial=_default_quarter()))
    if request.method == "POST" and form.is_valid():
        department: Any = request.user.department  # type: ignore[union-attr]
        try:
            report = services.submit_work_report(actor=request.user, department=department, **form.cleaned_data)
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已报送{report}" + ("(逾期)" if report.late else ""))
            return redirect("plans:work_report_list")
    return render(request, "plans/work_report_form.html", {"form": form})
