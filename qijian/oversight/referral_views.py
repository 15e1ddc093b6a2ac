"""Referral pages (纪检监察移送): list, detail with the two approval slots, propose, approve, reject, packet.

Office and supervisor see and act on every referral; discipline sees approved referrals and downloads
their packets (each download audited; a discipline user's first one is the receipt). See docs/referrals.md.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.core.models import CHANGE, VIEW
from qijian.core.views import style_form, timeline
from qijian.oversight import referral_queries as queries
from qijian.oversight import referrals as services
from qijian.oversight.choices import ReferralStatus
from qijian.oversight.models import Alert, Referral

PAGE_SIZE = 50
PARTIES = (Role.OFFICE, Role.SUPERVISOR)
READERS = (*PARTIES, Role.DISCIPLINE)


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *ReferralStatus.choices])


def _text_field(label: str) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 4, "class": "form-control"})
    errors = {"required": f"请填写{label}。"}
    return forms.CharField(label=label, max_length=services.REASON_MAX, widget=widget, error_messages=errors)


class ProposeForm(forms.Form):
    reason = _text_field("移送理由")


class RejectForm(forms.Form):
    reason = _text_field("不予移送的理由")


# --- list and detail ---------------------------------------------------------------------------------


@require_safe
@roles_required(*READERS)
def referral_list(request: HttpRequest) -> HttpResponse:
    form = StatusFilterForm(request.GET or None)
    rows = queries.referral_rows(request.user)
    if form.is_valid() and form.cleaned_data["status"]:
        rows = rows.filter(status=form.cleaned_data["status"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter_form": style_form(form), "page": page, "query": query.urlencode()}
    return render(request, "oversight/referrals/list.html", context)


def _slots(referral: Referral) -> list[dict[str, Any]]:
    return [
        {
            "party": "联席会议办公室",
            "role": Role.OFFICE,
            "by": referral.office_approved_by,
            "at": referral.office_approved_at,
        },
        {
            "party": "县司法局",
            "role": Role.SUPERVISOR,
            "by": referral.supervisor_approved_by,
            "at": referral.supervisor_approved_at,
        },
    ]


@require_safe
@roles_required(*READERS)
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(queries.referrals_for(request.user), pk=pk)
    role = request.user.role  # type: ignore[union-attr]
    can_act = referral.status == ReferralStatus.PROPOSED and role in PARTIES
    context = {
        "referral": referral,
        "slots": _slots(referral),
        "is_party": role in PARTIES,
        "can_approve": can_act and getattr(referral, f"{services.SLOTS[Role(role)][0]}_id") is None,
        "can_reject": can_act,
        "reject_form": RejectForm(),
        "timeline": timeline(referral),
    }
    return render(request, "oversight/referrals/detail.html", context)


# --- propose -----------------------------------------------------------------------------------------


_IDENTIFIER = re.compile(r"[1-9][0-9]{0,17}")  # ASCII digits only, within a bigint


def _origin(request: HttpRequest) -> tuple[Alert | None, Any]:
    """The alert or complaint named by ?alert= / ?complaint= (or the same POST fields), as the user sees it."""
    from qijian.evaluations.models import Complaint

    data = request.POST if request.method == "POST" else request.GET
    alert_id, complaint_id = data.get("alert", ""), data.get("complaint", "")
    if _IDENTIFIER.fullmatch(alert_id) and not complaint_id:
        return get_object_or_404(Alert.objects.restrict(request.user, VIEW), pk=int(alert_id)), None
    if _IDENTIFIER.fullmatch(complaint_id) and not alert_id:
        return None, get_object_or_404(Complaint.objects.restrict(request.user, VIEW), pk=int(complaint_id))
    if alert_id or complaint_id:
        raise Http404("请从一条监督预警或一件投诉举报提请移送。")
    return None, None


@roles_required(*PARTIES)
def referral_propose(request: HttpRequest) -> HttpResponse:
    alert, complaint = _origin(request)
    if alert is None and complaint is None:  # no origin named: say where a referral starts
        return render(request, "oversight/referrals/propose.html", {"no_origin": True})
    form = ProposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.propose_referral(
                actor=request.user, alert=alert, complaint=complaint, reason=form.cleaned_data["reason"]
            )
        except services.ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已提请移送纪检监察({referral.number}),待联席会议办公室和县司法局审批。")
            return redirect("oversight:referral_detail", pk=referral.pk)
    existing = services.open_referral(alert, complaint)
    context = {"form": form, "alert": alert, "complaint": complaint, "existing": existing}
    return render(request, "oversight/referrals/propose.html", context, status=400 if form.errors else 200)


# --- approve and reject ------------------------------------------------------------------------------


def _changeable(request: HttpRequest, pk: int) -> Referral:
    return get_object_or_404(Referral.objects.restrict(request.user, CHANGE), pk=pk)


@require_POST
@roles_required(*PARTIES)
def referral_approve(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    try:
        referral = services.approve_referral(actor=request.user, referral=referral)
    except services.ReferralError as exc:
        messages.error(request, str(exc))
    else:
        done = referral.status == ReferralStatus.APPROVED
        messages.success(request, "已批准移送,证据材料包已生成并送达纪检监察。" if done else "已审批,待另一方审批。")
    return redirect("oversight:referral_detail", pk=pk)


@require_POST
@roles_required(*PARTIES)
def referral_reject(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"请填写不予移送的理由(不超过{services.REASON_MAX}字)。")
        return redirect("oversight:referral_detail", pk=pk)
    try:
        services.reject_referral(actor=request.user, referral=referral, reason=form.cleaned_data["reason"])
    except services.ReferralError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已决定不予移送。")
    return redirect("oversight:referral_detail", pk=pk)


# --- the packet --------------------------------------------------------------------------------------


@require_safe
@roles_required(*READERS)
def referral_packet(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(queries.referrals_for(request.user), pk=pk)
    try:
        services.record_packet_read(actor=request.user, referral=referral)
    except services.ReferralError as exc:
        raise PermissionDenied(str(exc)) from exc
    with referral.packet.open("rb") as handle:  # a packet is a few hundred KB: read whole
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="qijian-referral-{referral.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
