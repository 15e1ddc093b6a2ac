"""Filing pages: the list (office: every filing, new ones marked), the detail with its chain, alerts
and timeline, and the forms of each kind of filing, amendment and cancellation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.core.calendar import local_today
from qijian.core.views import ACTION_LABELS, require_visible, style_form
from qijian.inspections import forms, queries, services
from qijian.inspections.choices import FilingStatus
from qijian.inspections.filters import FilingFilter
from qijian.inspections.models import Filing

PAGE_SIZE = 30


@login_required
def filing_list(request: HttpRequest) -> HttpResponse:
    require_visible(Filing, request.user)
    filterset = FilingFilter(request.GET, queryset=queries.filings_for(request.user), request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": style_form(filterset.form),
        "page": page,
        "query": query.urlencode(),
        "unread": queries.unread_count(request.user),
        "is_office": request.user.role == Role.OFFICE,  # type: ignore[union-attr]
        "is_admin": request.user.role == Role.DEPT_ADMIN,  # type: ignore[union-attr]
    }
    return render(request, "inspections/filing_list.html", context)


def _visible(request: HttpRequest, pk: int) -> Filing:
    filing = queries.filing_detail(request.user, pk)
    if filing is None:
        raise Http404("报备不存在或不在您的可见范围内")
    return filing


def _changeable(request: HttpRequest, pk: int) -> Filing:
    filing = queries.changeable_filing(request.user, pk)
    if filing is None:
        raise Http404("报备不存在或不在您的可见范围内")
    return filing


@require_safe
@login_required
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _visible(request, pk)
    services.mark_read_by_office(actor=request.user, filing=filing)
    user: Any = request.user
    own = user.role == Role.DEPT_ADMIN and user.department_id == filing.department_id
    open_now = filing.status == FilingStatus.ACTIVE and dt.datetime.now(dt.UTC) < filing.window_end
    context = {
        "filing": filing,
        "kind_label": services.kind_label(filing),
        "history": queries.filing_history(filing),
        "alerts": list(queries.alerts_of(user, filing)),
        "timeline": [_row(e) for e in queries.timeline_events(filing)],
        "can_change": own and open_now,
        "can_accept": own and filing.superior_department_id and not filing.acceptance_of_id,
        "today": local_today(),
    }
    return render(request, "inspections/filing_detail.html", context)


def _row(event: Any) -> dict[str, Any]:
    actor = event.actor.get_full_name() or event.actor.username if event.actor else event.actor_repr
    return {
        "at": event.occurred_at,
        "actor": actor,
        "action": ACTION_LABELS.get(event.action, event.action),
        "code": event.action,
    }


# --- forms ---------------------------------------------------------------------------------------------


def _submit(
    request: HttpRequest, form: Any, title: str, call: Callable[[dict[str, Any]], Filing], **extra: Any
) -> HttpResponse:
    """Validate the form, call one service, redirect to the filing; errors stay on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            filing = call(form.cleaned_data)
        except services.FilingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已提交 {filing.number},联席会议办公室已同步收到。")
            return redirect("inspections:detail", pk=filing.pk)
    context = {"form": forms.style(form), "title": title, "now": dt.datetime.now(dt.UTC)} | extra
    return render(request, "inspections/filing_form.html", context)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _entry_day(request: HttpRequest) -> tuple[forms.EntryDayForm, dt.date]:
    day_form = forms.EntryDayForm(request.GET or None)
    day = day_form.cleaned_data.get("on") if day_form.is_valid() else None
    return day_form, day or local_today()


@roles_required(Role.DEPT_ADMIN)
def planned_create(request: HttpRequest) -> HttpResponse:
    day_form, day = _entry_day(request)
    form = forms.PlannedFilingForm(_data(request), user=request.user, on=day)

    def call(data: dict[str, Any]) -> Filing:
        return services.file_planned(
            actor=request.user,
            entry=data["entry"],
            enterprises=data["enterprises"],
            inspectors=list(data["inspectors"]),
            window_start=data["window_start"],
            window_end=data["window_end"],
            method=data["method"] or None,
        )

    return _submit(request, form, "计划内检查报备", call, day_form=forms.style(day_form), day=day)


@roles_required(Role.DEPT_ADMIN)
def urgent_create(request: HttpRequest) -> HttpResponse:
    form = forms.UrgentFilingForm(_data(request), user=request.user)

    def call(data: dict[str, Any]) -> Filing:
        return services.file_urgent(
            actor=request.user,
            item=data["item"],
            reason=data["reason"],
            reason_detail=data["reason_detail"],
            enterprises=data["enterprises"],
            inspectors=list(data["inspectors"]),
            window_end=data["window_end"],
            method=data["method"],
        )

    return _submit(request, form, "紧急检查报备", call, urgent=True)


@roles_required(Role.DEPT_ADMIN)
def superior_create(request: HttpRequest) -> HttpResponse:
    form = forms.SuperiorFilingForm(_data(request), user=request.user)

    def call(data: dict[str, Any]) -> Filing:
        return services.file_superior_inspection(
            actor=request.user,
            superior_department=data["superior_department"],
            item=data["item"],
            enterprises=data["enterprises"],
            inspectors=list(data["inspectors"]),
            window_start=data["window_start"],
            window_end=data["window_end"],
        )

    return _submit(request, form, "上级部门检查备案", call)


@roles_required(Role.DEPT_ADMIN)
def acceptance_create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _changeable(request, pk)
    if parent.superior_department_id is None or parent.acceptance_of_id is not None:
        raise Http404("该报备不是上级部门检查")
    form = forms.AcceptanceVisitForm(_data(request), superior_filing=parent)

    def call(data: dict[str, Any]) -> Filing:
        return services.file_acceptance_visit(
            actor=request.user,
            superior_filing=parent,
            enterprises=data["enterprises"],
            inspectors=list(data["inspectors"]),
            window_start=data["window_start"],
            window_end=data["window_end"],
        )

    return _submit(request, form, f"勘察验收报备(上级检查 {parent.number})", call, parent=parent)


@roles_required(Role.DEPT_ADMIN)
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _changeable(request, pk)
    form = forms.AmendFilingForm(_data(request), filing=filing)

    def call(data: dict[str, Any]) -> Filing:
        return services.amend_filing(
            actor=request.user,
            filing=filing,
            inspectors=list(data["inspectors"]),
            enterprises=data["enterprises"],
            window_end=data["window_end"],
            reason=data["reason"],
        )

    return _submit(request, form, f"变更报备 {filing.number}", call, parent=filing)


@roles_required(Role.DEPT_ADMIN)
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _changeable(request, pk)
    form = forms.CancelFilingForm(_data(request))

    def call(data: dict[str, Any]) -> Filing:
        return services.cancel_filing(actor=request.user, filing=filing, reason=data["reason"])

    return _submit(request, form, f"撤销报备 {filing.number}", call, parent=filing, danger=True)
