"""Staff pages of check-ins (入企扫码记录): the list (overseers: all; department admin: its inspectors';
inspector: its own), the detail (filing, result, attachments, audited timeline) and the traces of an
enterprise and of one inspection (a filing and its amendment chain), with .xlsx/.csv exports carrying
each event's audit seq and SM3 hashes and the audit-chain check over the trace's range."""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.checkins import queries
from qijian.checkins.choices import CheckInResult, CheckInSource
from qijian.checkins.forms import CheckInFilterForm
from qijian.checkins.models import CheckIn
from qijian.core.exports import FORMATS, table_response
from qijian.core.views import ACTION_LABELS, style_form

PAGE_SIZE = 30
STAFF = (Role.OFFICE, Role.SUPERVISOR, Role.RANDOM_COORDINATOR, Role.DEPT_ADMIN, Role.INSPECTOR)
TRACE_READERS = (*STAFF, Role.ENTERPRISE)
TRACE_HEADERS = ["序号", "时间", "类别", "对象", "操作", "操作人", "说明", "审计序号", "审计哈希(SM3)", "前一哈希"]


@require_safe
@roles_required(*STAFF)
def checkin_list(request: HttpRequest) -> HttpResponse:
    form = CheckInFilterForm(request.GET or None)
    rows = form.apply(queries.checkins_for(request.user))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter_form": style_form(form), "page": page, "query": query.urlencode()}
    return render(request, "checkins/checkin_list.html", context)


def _visible(request: HttpRequest, pk: int) -> CheckIn:
    checkin = queries.checkin_detail(request.user, pk)
    if checkin is None:
        raise Http404("扫码记录不存在或不在您的可见范围内")
    return checkin


@require_safe
@roles_required(*STAFF)
def checkin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = _visible(request, pk)
    context = {
        "checkin": checkin,
        "alerts": list(queries.alerts_of(request.user, checkin)),
        "events": [_event_row(e) for e in queries.checkin_events(checkin)],
    }
    return render(request, "checkins/checkin_detail.html", context)


def _event_row(event: Any) -> dict[str, Any]:
    actor = event.actor.get_full_name() or event.actor.username if event.actor else event.actor_repr
    label = ACTION_LABELS.get(event.action, event.action)
    return {"at": event.occurred_at, "actor": actor, "action": label, "seq": event.seq, "hash": event.hash}


@require_safe
@roles_required(*STAFF)
def attachment_file(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    checkin = _visible(request, pk)
    attachment = next((a for a in checkin.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404("附件不存在")
    inline = attachment.content_type.startswith("image/") or attachment.content_type == "application/pdf"
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = "inline" if inline else "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)


# --- the traces: one enterprise, one inspection (filing and its amendment chain) -------------------------


def _trace(
    request: HttpRequest, rows: list[queries.TraceRow], *, name: str, template: str, **context: Any
) -> HttpResponse:
    """The page, or with ``?format=xlsx|csv`` the export; both end with the audit-chain check of the rows."""
    proof = queries.verify_trace(rows)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        title = f"{context['title']}检查轨迹"
        table = [*_export_rows(rows), [], [proof.text]]
        return cast(HttpResponse, table_response(f"检查轨迹-{name}", TRACE_HEADERS, table, fmt=fmt, title=title))
    labelled = [(row, action_label(row.action), detail_text(row.detail)) for row in rows]
    return render(request, template, {"rows": labelled, "proof": proof, **context})


@require_safe
@roles_required(*TRACE_READERS)
def enterprise_trace(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = queries.visible_enterprise(request.user, pk)
    if enterprise is None:
        raise Http404("企业不存在或不在您的可见范围内")
    rows = queries.enterprise_timeline(request.user, enterprise)
    context = {"enterprise": enterprise, "title": enterprise.name}
    return _trace(request, rows, name=enterprise.uscc, template="checkins/enterprise_trace.html", **context)


@require_safe
@roles_required(*TRACE_READERS)
def filing_trace(request: HttpRequest, pk: int) -> HttpResponse:
    filing = queries.visible_filing(request.user, pk)
    if filing is None:
        raise Http404("报备不存在或不在您的可见范围内")
    chain = queries.filing_chain(request.user, filing)
    rows = queries.filing_timeline(request.user, filing, chain=chain)
    context = {"filing": filing, "chain": chain, "title": filing.number}
    return _trace(request, rows, name=filing.number, template="checkins/filing_trace.html", **context)


@require_safe
@roles_required(Role.ENTERPRISE)
def own_trace(request: HttpRequest) -> HttpResponse:
    return redirect("checkins:enterprise_trace", pk=request.user.enterprise_id)  # type: ignore[union-attr]


def action_label(action: str) -> str:
    if action == queries.CODE_ACTION:
        return "随报备签发检查码"
    return ACTION_LABELS.get(action, action)


def _export_rows(rows: list[queries.TraceRow]) -> list[list[Any]]:
    return [
        [
            n,
            r.at,
            r.kind,
            r.subject,
            action_label(r.action),
            r.actor,
            detail_text(r.detail),
            r.seq if r.seq is not None else "派生,非审计记录",
            r.hash,
            r.prev_hash,
        ]
        for n, r in enumerate(rows, start=1)
    ]


DETAIL_LABELS = {
    "number": "报备编号",
    "window_start": "检查开始",
    "window_end": "检查结束",
    "status": "状态",
    "filing": "对应报备",
    "unfiled": "未报备入企",
    "inspector": "扫码人员",
    "companions": "同行人员",
    "scanned_at": "扫码时间",
    "source": "来源",
    "result": "检查结果",
    "rectification_deadline": "整改期限",
    "note": "说明",
    "name": "附件",
    "sha256": "SHA-256",
    "valid_until": "有效期至",
    "code_state": "检查码状态",
    "rule": "规则",
    "message": "预警内容",
    "reason": "原因",
}


def detail_text(detail: dict[str, Any]) -> str:
    """The audited facts worth reading in a trace row, as one line."""
    parts = []
    for key, label in DETAIL_LABELS.items():
        value = detail.get(key)
        if value in (None, "", [], False):
            continue
        parts.append(f"{label}:{_shown(key, value)}")
    return ";".join(parts)


VALUE_LABELS = {"result": dict(CheckInResult.choices), "source": dict(CheckInSource.choices)}


def _shown(key: str, value: Any) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value))
    if value is True:
        return "是"
    return str(VALUE_LABELS.get(key, {}).get(value, value))
