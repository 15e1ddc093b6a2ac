"""Complaint pages: the staff list, detail (timeline; accept / reply / reject), the register form; the
enterprise's own complaints and its form. Readers: the office and 司法局 all; an enterprise its own
(online) complaints; departments none (they get counts in the quarterly summary)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.core.models import CHANGE
from qijian.core.views import style_form, timeline
from qijian.evaluations import forms_complaints as forms
from qijian.evaluations.choices import ComplaintStatus
from qijian.evaluations.models import Complaint
from qijian.evaluations.queries import complaints as queries
from qijian.evaluations.services import complaints as services
from qijian.policy.loader import figure

PAGE_SIZE = 50
STAFF = (Role.OFFICE, Role.SUPERVISOR)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@roles_required(*STAFF)
def complaint_list(request: HttpRequest) -> HttpResponse:
    filterset = forms.ComplaintFilter(request.GET, queryset=queries.complaint_rows(request.user), request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter_form": style_form(filterset.form),
        "page": page,
        "query": _query_without_page(request),
        "overdue_ids": {c.pk for c in page if queries.is_overdue(c)},
    }
    return render(request, "evaluations/complaints/list.html", context)


def _detail_context(request: HttpRequest, complaint: Complaint, **bound: Any) -> dict[str, Any]:
    return {
        "complaint": complaint,
        "overdue": queries.is_overdue(complaint),
        "late": queries.replied_late(complaint),
        "timeline": timeline(complaint),
        "accept_form": bound.get("accept_form") or forms.AcceptForm(),
        "reply_form": bound.get("reply_form") or forms.ReplyForm(),
        "reject_form": bound.get("reject_form") or forms.RejectForm(),
        "is_open": complaint.status in (ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING),
    }


def _staff_complaint(request: HttpRequest, pk: int, action: str = "view") -> Complaint:
    rows = queries.complaints_for(request.user, action).select_related(
        "enterprise", "department", "filing", "checkin", "handler", "created_by"
    )
    return get_object_or_404(rows, pk=pk)


@roles_required(*STAFF)
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _staff_complaint(request, pk)
    return render(request, "evaluations/complaints/detail.html", _detail_context(request, complaint))


@roles_required(*STAFF)
@require_http_methods(["GET", "POST"])
def complaint_register(request: HttpRequest) -> HttpResponse:
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.register_complaint(actor=request.user, **form.cleaned_data)
        except services.ComplaintError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记投诉 {complaint.number}。")
            return redirect("evaluations:complaint_detail", pk=complaint.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluations/complaints/register.html", {"form": form}, status=status)


def _act(request: HttpRequest, pk: int, form_name: str, form: Any, run: Any, done: str) -> HttpResponse:
    """Validate ``form``, call one service; on bad input show the detail again with the error (400)."""
    complaint = _staff_complaint(request, pk, CHANGE)
    if form.is_valid():
        try:
            run(complaint, form.cleaned_data)
        except services.ComplaintError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("evaluations:complaint_detail", pk=pk)
    context = _detail_context(request, complaint, **{form_name: form})
    return render(request, "evaluations/complaints/detail.html", context, status=400)


@require_POST
@roles_required(*STAFF)
def complaint_accept(request: HttpRequest, pk: int) -> HttpResponse:
    def run(complaint: Complaint, data: dict[str, Any]) -> None:
        services.accept_complaint(actor=request.user, complaint=complaint, handler=data["handler"])

    return _act(request, pk, "accept_form", forms.AcceptForm(request.POST), run, "已受理,并指定承办人。")


@require_POST
@roles_required(*STAFF)
def complaint_reply(request: HttpRequest, pk: int) -> HttpResponse:
    def run(complaint: Complaint, data: dict[str, Any]) -> None:
        services.reply_complaint(actor=request.user, complaint=complaint, outcome=data["outcome"])

    return _act(request, pk, "reply_form", forms.ReplyForm(request.POST), run, "已办结,办理结果已反馈投诉人。")


@require_POST
@roles_required(*STAFF)
def complaint_reject(request: HttpRequest, pk: int) -> HttpResponse:
    def run(complaint: Complaint, data: dict[str, Any]) -> None:
        services.reject_complaint(actor=request.user, complaint=complaint, reason=data["reason"])

    return _act(request, pk, "reject_form", forms.RejectForm(request.POST), run, "已作不予受理,理由已反馈投诉人。")


# --- the enterprise's own complaints -------------------------------------------------------------------


@roles_required(Role.ENTERPRISE)
def my_complaints(request: HttpRequest) -> HttpResponse:
    rows = queries.complaints_for(request.user).select_related("department", "filing")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluations/complaints/mine.html", {"page": page, "query": ""})


@roles_required(Role.ENTERPRISE)
def my_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    rows = queries.complaints_for(request.user).select_related("department", "filing", "checkin")
    complaint = get_object_or_404(rows, pk=pk)
    return render(request, "evaluations/complaints/my_detail.html", {"complaint": complaint})


@roles_required(Role.ENTERPRISE)
@require_http_methods(["GET", "POST"])
def my_complaint_new(request: HttpRequest) -> HttpResponse:
    form = forms.EnterpriseComplaintForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.submit_complaint(
                actor=request.user, summary=data["summary"], contact=data["contact"], **data["inspection"]
            )
        except services.ComplaintError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"投诉已提交(编号 {complaint.number}),办理结果将通过站内消息和邮件告知。")
            return redirect("evaluations:my_complaint", pk=complaint.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "accept_days": figure("complaints.accept_days")}
    return render(request, "evaluations/complaints/my_new.html", context, status=status)
