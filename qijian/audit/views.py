"""The security auditor's pages (三员分立: only the auditor reads the audit trail)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from qijian.accounts.choices import Role
from qijian.audit.chain import row_hash
from qijian.audit.forms import EventSearchForm
from qijian.audit.models import AuditCheckpoint, AuditEvent, VerificationRun
from qijian.audit.queries import event_page, export_lines, search_events
from qijian.audit.services import request_verification
from qijian.audit.verify import KIND_LABELS

View = Callable[..., HttpResponse | StreamingHttpResponse]


def auditor_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse | StreamingHttpResponse:
        if getattr(request.user, "role", None) != Role.AUDITOR:
            raise PermissionDenied("只有安全审计员可以查看审计日志")
        return view(request, *args, **kwargs)

    return wrapper


def _seq_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def _link(request: HttpRequest, **boundary: int | None) -> str | None:
    value = next(iter(boundary.values()))
    if value is None:
        return None
    query = request.GET.copy()
    for name in ("before", "after"):
        query.pop(name, None)
    query.update({k: str(v) for k, v in boundary.items()})
    return "?" + query.urlencode()


@require_GET
@auditor_required
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventSearchForm(request.GET or None)
    qs = search_events(AuditEvent.objects.restrict(request.user, "view"), form.to_filter())
    page = event_page(qs, before=_seq_param(request, "before"), after=_seq_param(request, "after"))
    context = {
        "form": form,
        "events": page.events,
        "older_url": _link(request, before=page.older),
        "newer_url": _link(request, after=page.newer),
    }
    return render(request, "audit/list.html", context)


def _pretty(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


@require_GET
@auditor_required
def event_detail(request: HttpRequest, seq: int) -> HttpResponse:
    visible = AuditEvent.objects.restrict(request.user, "view")
    event = visible.filter(seq=seq).select_related("actor").first()
    if event is None:
        raise Http404("没有这条审计事件")
    neighbours = {e.seq: e.hash for e in visible.filter(seq__in=[seq - 1, seq + 1]).only("seq", "hash", "prev_hash")}
    row = {"prev_hash": event.prev_hash, **event.chained_fields()}
    context = {
        "event": event,
        "before": _pretty(event.before),
        "after": _pretty(event.after),
        "hash_ok": row_hash(row) == event.hash,
        "prev_seq": seq - 1 if seq - 1 in neighbours else None,
        "prev_ok": neighbours.get(seq - 1) == event.prev_hash if seq - 1 in neighbours else None,
        "next_seq": seq + 1 if seq + 1 in neighbours else None,
    }
    return render(request, "audit/detail.html", context)


@require_http_methods(["GET", "POST"])
@auditor_required
def verify(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        run = request_verification(actor=request.user)
        messages.info(request, f"已提交第 {run.pk} 次校验,后台任务完成后刷新本页查看结果。")
        return redirect("audit:verify")
    runs = list(VerificationRun.objects.restrict(request.user, "view").select_related("requested_by")[:20])
    return render(request, "audit/verify.html", {"runs": runs, "kind_labels": KIND_LABELS})


@require_GET
@auditor_required
def checkpoints(request: HttpRequest) -> HttpResponse:
    qs = AuditCheckpoint.objects.restrict(request.user, "view")
    before = _seq_param(request, "before")
    rows = list((qs if before is None else qs.filter(id__lt=before)).order_by("-id")[:51])
    older = rows[49].pk if len(rows) > 50 else None
    context = {"checkpoints": rows[:50], "older_url": _link(request, before=older), "paged": before is not None}
    return render(request, "audit/checkpoints.html", context)


@require_GET
@auditor_required
def export_checkpoints(request: HttpRequest) -> StreamingHttpResponse:
    lines = export_lines(AuditCheckpoint.objects.restrict(request.user, "view"))
    response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = f'attachment; filename="audit-checkpoints-{stamp}.jsonl"'
    return response
