"""联席会议 pages: staff read meetings and their decisions; the office records them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from qijian.accounts.choices import Role
from qijian.accounts.views import roles_required
from qijian.core.views import require_visible, timeline
from qijian.meetings import queries, services
from qijian.meetings.forms import DecisionForm, MeetingForm
from qijian.meetings.models import Meeting

PAGE_SIZE = 25


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    require_visible(Meeting, request.user)
    page = Paginator(queries.meeting_rows(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_record": request.user.role == Role.OFFICE}  # type: ignore[union-attr]
    return render(request, "meetings/meeting_list.html", context)


@roles_required(Role.OFFICE)
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(actor=request.user, **form.cleaned_data)
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已记录会议")
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/meeting_form.html", {"form": form}, status=status)


def _detail(request: HttpRequest, meeting: Meeting, form: DecisionForm | None = None) -> HttpResponse:
    context = {
        "meeting": meeting,
        "decisions": list(queries.decisions_of(request.user, meeting)),
        "can_record": request.user.role == Role.OFFICE,  # type: ignore[union-attr]
        "form": form or DecisionForm(),
        "timeline": timeline(meeting),
    }
    return render(request, "meetings/meeting_detail.html", context, status=400 if form else 200)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_object_or_404(queries.meetings_for(request.user), pk=pk))


@require_POST
@roles_required(Role.OFFICE)
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(queries.meetings_for(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, meeting, form)
    try:
        decision = services.record_decision(actor=request.user, meeting=meeting, **form.cleaned_data)
    except services.MeetingError as exc:
        form.add_error(None, str(exc))
        return _detail(request, meeting, form)
    messages.success(request, f"已记录决定 {decision.number}")
    return redirect("meetings:meeting_detail", pk=meeting.pk)
