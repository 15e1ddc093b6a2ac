"""Pages of the random coordinator (prepare, publish the seed hash, draw, publish results) and the
read-only draw pages of the other overseers and the departments taking part."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from qijian.accounts.choices import Role
from qijian.core.pagination import keyset_page
from qijian.core.views import require_visible, timeline
from qijian.grading.models import GRADE_READERS
from qijian.policy.loader import figure
from qijian.sampling import forms as sampling_forms
from qijian.sampling import queries, services
from qijian.sampling.models import Draw


def _coordinator(request: HttpRequest) -> bool:
    return getattr(request.user, "role", None) == Role.RANDOM_COORDINATOR


def _style(form: sampling_forms.PrepareForm) -> sampling_forms.PrepareForm:
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-select" if hasattr(field, "queryset") else "form-control")
    return form


@login_required
def draw_list(request: HttpRequest) -> HttpResponse:
    require_visible(Draw, request.user)
    page = keyset_page(queries.draws_for(request.user), request.GET)
    return render(request, "sampling/draw_list.html", {"page": page, "can_prepare": _coordinator(request)})


@login_required
def draw_prepare(request: HttpRequest) -> HttpResponse:
    if not _coordinator(request):
        raise PermissionDenied("只有双随机牵头部门(县市场监管局)可以组织随机抽取。")
    form = _style(sampling_forms.PrepareForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            draw = services.prepare_draw(actor=request.user, **form.service_kwargs())
        except services.SamplingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已准备抽取:抽取池 {draw.pool_size} 户企业")
            return redirect("sampling:draw_detail", pk=draw.pk)
    return render(request, "sampling/draw_prepare.html", {"form": form})


def _visible(request: HttpRequest, pk: int) -> Draw:
    require_visible(Draw, request.user)
    draw = queries.visible_draw(request.user, pk)
    if draw is None:
        raise Http404("抽取不存在")
    return draw


@login_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _visible(request, pk)
    page = keyset_page(queries.results_of(draw), request.GET)
    queries.attach_outcomes(draw, page.items)
    context = {
        "draw": draw,
        "page": page,
        "can_act": _coordinator(request),
        "show_grade": getattr(request.user, "role", None) in GRADE_READERS,  # grades are not for inspectors
        "timeline": timeline(draw),
    }
    return render(request, "sampling/draw_detail.html", context)


def _act(request: HttpRequest, pk: int, service: Callable[..., Draw], done: str) -> HttpResponse:
    if not _coordinator(request):
        raise PermissionDenied("只有双随机牵头部门(县市场监管局)可以组织随机抽取。")
    draw = _visible(request, pk)
    try:
        service(actor=request.user, draw=draw)
    except services.SamplingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("sampling:draw_detail", pk=pk)


@login_required
@require_POST
def draw_commit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.commit_seed, "已公布随机种子哈希")


@login_required
@require_POST
def draw_discard(request: HttpRequest, pk: int) -> HttpResponse:
    if not _coordinator(request):
        raise PermissionDenied("只有双随机牵头部门(县市场监管局)可以组织随机抽取。")
    draw = _visible(request, pk)
    try:
        services.discard_draw(actor=request.user, draw=draw)
    except services.SamplingError as exc:
        messages.error(request, str(exc))
        return redirect("sampling:draw_detail", pk=pk)
    messages.success(request, "已放弃该抽取,计划条目可重新准备")
    return redirect("sampling:draw_list")


@login_required
@require_POST
def draw_execute(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.execute_draw, "抽取完成")


@login_required
@require_POST
def draw_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.publish_results, "已公布抽取结果")


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    page = keyset_page(queries.public_draws(), request.GET)
    return render(request, "sampling/public_list.html", {"page": page})


@require_safe
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = queries.public_draw(pk)
    if draw is None:
        raise Http404("抽取不存在")
    context: dict[str, Any] = {
        "draw": draw,
        "published": draw.status == "published",
        "publish_days": figure("sampling.result_publish_working_days"),
    }
    if context["published"]:
        page = keyset_page(queries.results_of(draw), request.GET)
        queries.attach_outcomes(draw, page.items)
        context["page"] = page
    return render(request, "sampling/public_detail.html", context)
