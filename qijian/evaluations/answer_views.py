"""Answer pages: responses with their enterprise (office and supervisor only), the answers a supervisor records
during a phone follow-up, and a department's anonymous aggregates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.core.views import require_visible, style_form
from qijian.evaluations.forms_questionnaires import AggregateForm, answer_items, mark_errors, raw_answers
from qijian.evaluations.models import FollowUp, Response
from qijian.evaluations.queries import answers as queries
from qijian.evaluations.services.answers import AnswerError, record_phone_answers
from qijian.org.models import Department

PAGE_SIZE = 25
READERS = (Role.OFFICE, Role.SUPERVISOR)


@roles_required(*READERS)
def response_list(request: HttpRequest) -> HttpResponse:
    require_visible(Response, request.user)
    page = Paginator(queries.responses_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluations/answers/response_list.html", {"page": page})


@roles_required(*READERS)
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_visible(Response, request.user)
    response = get_object_or_404(queries.response_with_answers(Response.objects.restrict(request.user)), pk=pk)
    return render(request, "evaluations/answers/response_detail.html", {"response": response})


@roles_required(*READERS)
def record_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervisor records what the enterprise answered on the phone (channel 回访时代录)."""
    follow_up = get_object_or_404(FollowUp.objects.restrict(request.user).select_related("department"), pk=pk)
    answered = Response.objects.restrict(request.user).filter(follow_up=follow_up).first()
    if answered is not None:
        messages.info(request, "此次检查的答卷已经提交,不能重复代录或修改")
        return redirect("evaluations:response_detail", pk=answered.pk)
    questionnaire = queries.questionnaire_for(follow_up)
    if questionnaire is None:
        raise PermissionDenied("当前没有启用的评价问卷")
    items = answer_items(queries.questions_of(questionnaire), request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        try:
            response = record_phone_answers(actor=request.user, follow_up=follow_up, answers=raw_answers(items))
        except AnswerError as exc:
            error = str(exc)
            mark_errors(items, exc.errors)
        else:
            messages.success(request, "已代录企业的回访答卷")
            return redirect("evaluations:response_detail", pk=response.pk)
    context = {"follow_up": follow_up, "questionnaire": questionnaire, "items": items, "error": error}
    return render(request, "evaluations/answers/record.html", context)


# --- aggregates ---------------------------------------------------------------------------------------------


def _departments(user: Any) -> Any:
    """The departments whose aggregates the user may read (None: only its own, no choice)."""
    if user.role in READERS:
        return Department.objects.filter(is_enforcement=True).order_by("code")
    if user.role == Role.DEPT_ADMIN and user.department_id:
        return None
    raise PermissionDenied("您的角色无权查看评价统计")


def _chosen(user: Any, form: AggregateForm, departments: Any) -> list[int]:
    if departments is None:
        return [user.department_id]
    chosen = form.cleaned_data.get("department") if form.is_valid() else None
    return [chosen.pk] if chosen else list(departments.values_list("pk", flat=True))


@roles_required(Role.OFFICE, Role.SUPERVISOR, Role.DEPT_ADMIN)
def aggregates(request: HttpRequest) -> HttpResponse:
    """Counts and shares per question over one quarter: a department reads only its own, anonymously."""
    user: Any = request.user
    departments = _departments(user)
    form = AggregateForm(request.GET or None, departments=departments)
    style_form(form)
    chosen = form.cleaned_data["quarter"] if form.is_valid() else None
    try:
        quarter, notice = queries.department_quarter(user, chosen), ""
    except ValueError as exc:
        quarter, notice = queries.last_closed_quarter(), str(exc)
    result = queries.aggregate(_chosen(user, form, departments), quarter.start, quarter.end)
    context = {"form": form, "quarter": quarter, "result": result, "own": departments is None, "notice": notice}
    return render(request, "evaluations/answers/aggregates.html", context)
