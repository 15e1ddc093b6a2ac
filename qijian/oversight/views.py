"""Oversight pages: the alert list and detail (acknowledge / resolve: office), and the user's inbox."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.core.models import CHANGE
from qijian.core.views import require_visible, style_form, timeline
from qijian.oversight import queries, services
from qijian.oversight.filters import AlertFilter
from qijian.oversight.forms import ResolveForm
from qijian.oversight.models import Alert
from qijian.oversight.rules import RULES

PAGE_SIZE = 50
# Chinese names of the facts the rules record (rules.py); an unknown key shows as it is.
FACT_LABELS: dict[str, str] = {
    "minutes_late": "晚于检查开始(分钟)",
    "certified": "持有效证件的执法人员(证号)",
    "uncertified": "证件无效的执法人员(证号)",
    "item_code": "检查事项编码",
    "prior": "本年度此前现场检查次数",
    "cap": "年度检查上限",
    "other_visit": "另一次检查(报备编号)",
    "gap_days": "间隔天数",
    "reason": "检查事由",
    "visits": "验收勘察次数",
    "other_visits": "另一层级的检查(报备编号)",
    "closes": "报送截止日",
    "submitted": "实际报送日",
    "entry": "计划条目编号",
    "item": "检查事项",
    "window_start": "计划检查开始日期",
    "due_on": "回访期限",
    "follow_up": "回访编号",
    "inspected_on": "检查日期",
}


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    require_visible(Alert, request.user)
    filterset = AlertFilter(request.GET, queryset=queries.alert_rows(request.user), request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter_form": style_form(filterset.form), "page": page, "query": _query_without_page(request)}
    return render(request, "oversight/alert_list.html", context)


@login_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(queries.alerts_for(request.user), pk=pk)
    context = {
        "alert": alert,
        "rule": RULES.get(alert.rule),
        "facts": _facts(alert),
        "can_act": request.user.role == Role.OFFICE,  # type: ignore[union-attr]
        "resolve_form": ResolveForm(),
        "timeline": timeline(alert),
    }
    return render(request, "oversight/alert_detail.html", context)


def _facts(alert: Alert) -> list[tuple[str, str]]:
    facts: dict[str, Any] = alert.facts if isinstance(alert.facts, dict) else {}
    return [(FACT_LABELS.get(str(k), str(k)), _fact_value(v)) for k, v in facts.items()]


def _fact_value(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value)) or "—"
    return str(value)


def _changeable(request: HttpRequest, pk: int) -> Alert:
    return get_object_or_404(Alert.objects.restrict(request.user, CHANGE), pk=pk)


@require_POST
@roles_required(Role.OFFICE)
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _changeable(request, pk)
    try:
        services.acknowledge_alert(actor=request.user, alert=alert)
    except services.AlertError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已确认该预警。")
    return redirect("oversight:alert_detail", pk=pk)


@require_POST
@roles_required(Role.OFFICE)
def alert_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _changeable(request, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "办结预警须填写处理意见(不超过2000字)。")
        return redirect("oversight:alert_detail", pk=pk)
    try:
        services.resolve_alert(actor=request.user, alert=alert, comment=form.cleaned_data["comment"])
    except services.AlertError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "预警已办结。")
    return redirect("oversight:alert_detail", pk=pk)


# --- inbox ---------------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    rows = queries.inbox_for(request.user).order_by("unread_rank", "-created_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": "", "unread": queries.unread_count(request.user)}
    return render(request, "oversight/inbox.html", context)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return fallback


@require_POST
@login_required
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(queries.inbox_for(request.user), pk=pk)
    services.mark_read(actor=request.user, notification=notification)
    return redirect(_safe_next(request, "oversight:inbox"))


@require_POST
@login_required
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(actor=request.user)
    messages.success(request, f"已将 {count} 条消息标记为已读。")
    return redirect("oversight:inbox")
