"""Follow-up pages (回访): the list, the detail, recording one (supervisor) and reassigning it (office, supervisor).

Readers are the office and the supervisor (``FollowUp.scope_q``); everyone else gets 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.core.calendar import local_today
from qijian.core.models import CHANGE
from qijian.core.views import require_visible, style_form, timeline
from qijian.evaluations.choices import FollowUpStatus
from qijian.evaluations.forms_followups import AssignForm, FollowUpFilter, RecordForm
from qijian.evaluations.models import FollowUp
from qijian.evaluations.queries import followups as queries
from qijian.evaluations.queries.answers import answer_panel
from qijian.evaluations.services import followups as services

PAGE_SIZE = 50


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def followup_list(request: HttpRequest) -> HttpResponse:
    require_visible(FollowUp, request.user)
    filterset = FollowUpFilter(request.GET, queryset=queries.follow_up_rows(request.user), request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter_form": style_form(filterset.form),
        "page": page,
        "query": _query_without_page(request),
        "today": local_today(),
    }
    return render(request, "evaluations/followups/list.html", context)


def _visible(request: HttpRequest, pk: int) -> FollowUp:
    require_visible(FollowUp, request.user)
    follow_up = queries.follow_up_detail(request.user, pk)
    if follow_up is None:
        raise Http404("回访不存在。")
    return follow_up


@login_required
def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _visible(request, pk)
    return render(request, "evaluations/followups/detail.html", _detail_context(request, follow_up))


def _detail_context(
    request: HttpRequest, follow_up: FollowUp, *, record_form: RecordForm | None = None, assign_form: Any = None
) -> dict[str, Any]:
    role = getattr(request.user, "role", None)
    pending = follow_up.status == FollowUpStatus.PENDING
    mine = {
        "follow_up": follow_up,
        "today": local_today(),
        "overdue": follow_up.overdue_on(local_today()),
        "can_record": pending and role == Role.SUPERVISOR,
        "can_assign": pending and role in services.ASSIGNERS,
        "record_form": record_form or RecordForm(),
        "assign_form": assign_form or AssignForm(),
        "timeline": timeline(follow_up),
    }
    return answer_panel(request.user, follow_up) | mine


def _changeable(request: HttpRequest, pk: int) -> FollowUp:
    follow_up = queries.follow_ups_for(request.user, CHANGE).filter(pk=pk).first()
    if follow_up is None:
        raise Http404("回访不存在。")
    return follow_up


def _refused(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    follow_up = _visible(request, pk)
    return render(
        request, "evaluations/followups/detail.html", _detail_context(request, follow_up, **forms), status=400
    )


@require_POST
@roles_required(Role.SUPERVISOR)
def followup_record(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _changeable(request, pk)
    form = RecordForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, record_form=form)
    try:
        services.record_follow_up(actor=request.user, follow_up=follow_up, **form.cleaned_data)
    except services.FollowUpError as exc:
        form.add_error(None, str(exc))
        return _refused(request, pk, record_form=form)
    messages.success(request, "回访情况已登记。")
    return redirect("evaluations:followup_detail", pk=pk)


@require_POST
@roles_required(Role.OFFICE, Role.SUPERVISOR)
def followup_assign(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _changeable(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, assign_form=form)
    try:
        services.assign_follow_up(actor=request.user, follow_up=follow_up, assignee=form.cleaned_data["assignee"])
    except services.FollowUpError as exc:
        form.add_error(None, str(exc))
        return _refused(request, pk, assign_form=form)
    messages.success(request, "回访任务已改派。")
    return redirect("evaluations:followup_detail", pk=pk)
