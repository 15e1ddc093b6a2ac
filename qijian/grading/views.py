"""Grading pages: the yearly lists, each enterprise's grade with its explanation, override, approval, C list.

Readers: the overseers and department admins (GradeList.scope_q); writes: the office. Enterprises,
inspectors and the admin duties get 403 (grades are not public: docs/grading.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.core import calendar
from qijian.core.views import require_visible, style_form, timeline
from qijian.enterprises.queries import search_enterprises
from qijian.grading import queries, services
from qijian.grading.choices import ListStatus
from qijian.grading.forms import ApproveForm, EntryFilterForm, OverrideForm, ProduceForm
from qijian.grading.models import GradeEntry, GradeList
from qijian.policy.loader import figure

PAGE_SIZE = 50


def _is_office(request: HttpRequest) -> bool:
    return getattr(request.user, "role", None) == Role.OFFICE


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def list_index(request: HttpRequest) -> HttpResponse:
    require_visible(GradeList, request.user)
    today = calendar.local_today()
    context = {
        "lists": queries.lists_for(request.user),
        "can_produce": _is_office(request),
        "produce_form": style_form(ProduceForm(initial={"year": today.year + 1})),
        "review_month": int(figure("grading.list.review_month")),
        "in_review_month": today.month == int(figure("grading.list.review_month")),
    }
    return render(request, "grading/list_index.html", context)


@require_POST
@roles_required(Role.OFFICE)
def list_produce(request: HttpRequest) -> HttpResponse:
    form = ProduceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写正确的适用年度。")
        return redirect("grading:list_index")
    try:
        grade_list = services.produce_draft_list(actor=request.user, year=form.cleaned_data["year"])
    except services.GradingError as exc:
        messages.error(request, str(exc))
        return redirect("grading:list_index")
    messages.success(request, f"已编制{grade_list}草案。")
    return redirect("grading:list_detail", pk=grade_list.pk)


def _filtered(entries: QuerySet[GradeEntry], form: EntryFilterForm) -> QuerySet[GradeEntry]:
    if not form.is_valid():
        return entries
    data = form.cleaned_data
    if data["grade"]:
        entries = entries.filter(grade=data["grade"])
    if data["overridden"]:
        entries = entries.exclude(grade=F("computed_grade"))
    if data["q"]:
        matching = search_enterprises(queries.enterprises_all(), data["q"])
        entries = entries.filter(enterprise__in=matching.values("pk"))
    return entries


@login_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grade_list = get_object_or_404(queries.lists_for(request.user), pk=pk)
    form = EntryFilterForm(request.GET)
    rows = _filtered(queries.entries_for(request.user).filter(grade_list=grade_list), form).order_by("enterprise_id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "grade_list": grade_list,
        "page": page,
        "rows": [(e, queries.mover_labels(e)) for e in page],
        "filter_form": style_form(form),
        "query": _query_without_page(request),
        "can_approve": _is_office(request) and grade_list.status == ListStatus.DRAFT,
        "approve_form": style_form(ApproveForm()),
        "timeline": timeline(grade_list),
    }
    return render(request, "grading/list_detail.html", context)


@require_POST
@roles_required(Role.OFFICE)
def list_approve(request: HttpRequest, pk: int) -> HttpResponse:
    grade_list = get_object_or_404(queries.lists_for(request.user), pk=pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择事项类别为“分级分类监管清单”的会议决定。")
        return redirect("grading:list_detail", pk=pk)
    try:
        services.approve_grade_list(actor=request.user, grade_list=grade_list, decision=form.cleaned_data["decision"])
    except services.GradingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "清单已审定。")
    return redirect("grading:list_detail", pk=pk)


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(queries.entries_for(request.user), pk=pk)
    context: dict[str, Any] = {
        "entry": entry,
        "rows": queries.contribution_rows(entry),
        "movers": queries.mover_labels(entry),
        "can_override": _is_office(request) and entry.grade_list.status != ListStatus.SUPERSEDED,
        "override_form": style_form(OverrideForm()),
        "timeline": timeline(entry),
    }
    return render(request, "grading/entry_detail.html", context)


@require_POST
@roles_required(Role.OFFICE)
def entry_override(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(queries.entries_for(request.user), pk=pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择调整后的等级并填写调整理由。")
        return redirect("grading:entry_detail", pk=pk)
    try:
        services.override_grade(actor=request.user, entry=entry, **form.cleaned_data)
    except services.GradingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已人工调整该企业的等级。")
    return redirect("grading:entry_detail", pk=pk)


@login_required
def focus_list(request: HttpRequest) -> HttpResponse:
    """C类企业重点监管名单 (the list in force)."""
    require_visible(GradeList, request.user)
    rows = queries.focus_entries(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": "",
        "current": queries.in_force_list(),
        "rows": [(e, queries.mover_labels(e)) for e in page],
        "ratio": figure("grading.sampling_ratio.C"),
        "cap": figure("grading.yearly_cap.C"),
    }
    return render(request, "grading/focus_list.html", context)
