"""The quarterly summary page (/evaluations/summary/) and its downloads (.xlsx, PDF).

Readers: the office and the supervisor (the joint meeting's packet, with the clue details); a
department admin sees its own department's row only, with no clue details and no downloads.
A quarter that cannot be read is a 400 with the page and a Chinese message. See docs/evaluation-summary.md.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from qijian.accounts.views import roles_required
from qijian.core.calendar import Quarter
from qijian.evaluations import summary_exports
from qijian.evaluations.queries.summary import (
    PACKET_READERS,
    READERS,
    Summary,
    quarter_from,
    recent_quarters,
    summary_for,
)
from qijian.evaluations.summary_tables import Preparer, detail_table, packet_tables, title_prefix

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE = "evaluations/summary/summary.html"


def _chart_data(summary: Summary) -> dict[str, Any]:
    """What the page's ECharts draw (static/qijian/evaluation-summary.js reads it from a JSON island)."""
    rows = summary.departments
    return {
        "departments": [r.name for r in rows],
        "satisfaction": [r.satisfaction_average for r in rows],
        "overdue": [r.follow_ups_overdue for r in rows],
        "clues": [r.clue_total for r in rows],
    }


def _context(summary: Summary, packet: bool) -> dict[str, Any]:
    tables = packet_tables(summary)
    details = detail_table(summary, title_prefix(summary)) if summary.details else None
    return {
        "summary": summary,
        "tables": tables,
        "details": details,
        "chart_data": _chart_data(summary),
        "can_download": packet,
    }


def _quarter(request: HttpRequest) -> tuple[Quarter | None, str]:
    try:
        return quarter_from(request.GET.get("quarter", ""), user=request.user), ""
    except ValueError as exc:
        return None, str(exc)


@require_safe
@roles_required(*READERS)
def summary_page(request: HttpRequest) -> HttpResponse:
    quarter, error = _quarter(request)
    context: dict[str, Any] = {"quarters": recent_quarters(), "error": error, "quarter": quarter}
    if quarter is None:
        return render(request, TEMPLATE, context, status=400)
    summary = summary_for(request.user, quarter)
    if summary is None:
        context["error"] = "账号未关联部门,无法查看评价汇总。"
        return render(request, TEMPLATE, context, status=403)
    packet = getattr(request.user, "role", None) in PACKET_READERS
    return render(request, TEMPLATE, context | _context(summary, packet))


def _download(request: HttpRequest, kind: str) -> HttpResponse:
    quarter, error = _quarter(request)
    if quarter is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    summary = summary_for(request.user, quarter)
    assert summary is not None  # PACKET_READERS always read the county summary
    content = summary_exports.export_summary(
        actor=request.user, summary=summary, fmt=kind, preparer=Preparer.of(request.user)
    )
    response = HttpResponse(content, content_type=XLSX if kind == "xlsx" else "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="qijian-evaluation-summary-{quarter.code}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@roles_required(*PACKET_READERS)
def summary_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")


@require_safe
@roles_required(*PACKET_READERS)
def summary_pdf(request: HttpRequest) -> HttpResponse:
    return _download(request, "pdf")
