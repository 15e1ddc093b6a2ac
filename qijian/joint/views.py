"""Pages of the joint-visit workflow (综合查一次): proposals, their answers, calendars, unplannable
tasks, the joint share and the departments' daily capacity. Each view: check, fetch, one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from qijian.accounts.choices import Role
from qijian.core.pagination import keyset_page
from qijian.core.views import require_visible, style_form, timeline
from qijian.enterprises import queries as enterprise_queries
from qijian.joint import forms as joint_forms
from qijian.joint import queries, services
from qijian.joint.choices import ProposalStatus
from qijian.joint.models import DepartmentCapacity, PlanningRun, Proposal, Unplanned
from qijian.org.models import Department


def _is_office(request: HttpRequest) -> bool:
    return getattr(request.user, "role", None) == Role.OFFICE


@login_required
@require_safe
def proposal_list(request: HttpRequest) -> HttpResponse:
    require_visible(Proposal, request.user)
    rows = queries.proposals_for(request.user)
    status = request.GET.get("status", "")
    if status in ProposalStatus.values:
        rows = rows.filter(status=status)
    context = {
        "page": keyset_page(rows, request.GET),
        "status": status,
        "statuses": ProposalStatus.choices,
        "run": queries.latest_run(),
        "run_form": style_form(joint_forms.RunForm()) if _is_office(request) else None,
    }
    return render(request, "joint/proposal_list.html", context)


@login_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    if not _is_office(request):
        raise PermissionDenied("只有联席会议办公室可以运行联合检查规划。")
    form = joint_forms.RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, ";".join(str(e) for e in form.errors.get("quarter", ["季度无效"])))
        return redirect("joint:proposal_list")
    try:
        result = services.run_planner(actor=request.user, quarter=form.cleaned_data["quarter"])
    except services.JointError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _run_message(result))
    return redirect("joint:proposal_list")


def _run_message(run: PlanningRun) -> str:
    return (
        f"已完成{run.quarter}联合检查规划:{run.task_count} 项检查任务合并为 {run.visit_count} 次入企"
        f"(理论最少 {run.lower_bound} 次),减少入企 {run.visits_saved} 次;无法规划 {run.unplannable_count} 项。"
    )


def _visible(request: HttpRequest, pk: int) -> Proposal:
    require_visible(Proposal, request.user)
    proposal = queries.visible_proposal(request.user, pk)
    if proposal is None:
        raise Http404("联合检查建议不存在")
    return proposal


def _require_dept_admin(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) != Role.DEPT_ADMIN:
        raise PermissionDenied("只有涉及该联合检查的部门管理员可以办理。")


@login_required
@require_safe
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    user: Any = request.user
    context = {
        "proposal": proposal,
        "can_answer": queries.can_answer(user, proposal),
        "can_file": proposal.status == ProposalStatus.ACCEPTED
        and user.role == Role.DEPT_ADMIN
        and user.department_id == proposal.lead_department_id,
        "form": style_form(joint_forms.AnswerForm()),
        "timeline": timeline(proposal),
    }
    return render(request, "joint/proposal_detail.html", context)


@login_required
@require_POST
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    _require_dept_admin(request)
    proposal = _visible(request, pk)
    form = joint_forms.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择同意或拒绝。")
        return redirect("joint:proposal_detail", pk=pk)
    try:
        result = services.answer_proposal(actor=request.user, proposal=proposal, **form.cleaned_data)
    except services.JointError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已提交本部门意见;当前状态:{result.get_status_display()}")
    return redirect("joint:proposal_detail", pk=pk)


@login_required
@require_POST
def proposal_file(request: HttpRequest, pk: int) -> HttpResponse:
    _require_dept_admin(request)
    proposal = _visible(request, pk)
    try:
        filing = services.file_proposal(actor=request.user, proposal=proposal)
    except services.JointError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已联合报备,报备编号 {filing.number}")
    return redirect("joint:proposal_detail", pk=pk)


@login_required
@require_safe
def enterprise_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    require_visible(Proposal, request.user)
    enterprise = enterprise_queries.enterprises_for(request.user).filter(pk=pk).first()
    if enterprise is None:
        raise Http404("企业不存在")
    visits = queries.calendar_of(request.user, enterprise.pk)
    context = {"enterprise": enterprise, "months": _by_month(visits), "count": len(visits)}
    return render(request, "joint/calendar.html", context)


def _by_month(visits: list[Proposal]) -> list[tuple[str, list[Proposal]]]:
    months: dict[str, list[Proposal]] = {}
    for visit in visits:
        months.setdefault(f"{visit.day.year}年{visit.day.month}月", []).append(visit)
    return list(months.items())


@login_required
@require_safe
def unplanned_list(request: HttpRequest) -> HttpResponse:
    require_visible(Unplanned, request.user)
    page = keyset_page(queries.unplanned_for(request.user), request.GET)
    return render(request, "joint/unplanned_list.html", {"page": page})


@login_required
@require_safe
def share(request: HttpRequest) -> HttpResponse:
    require_visible(PlanningRun, request.user)
    year = queries.year_of(request.GET.get("year", ""))
    county, departments = queries.share_for(request.user, year)
    context = {"year": year, "county": county, "departments": departments, "run": queries.latest_run()}
    return render(request, "joint/share.html", context)


@login_required
def capacity(request: HttpRequest) -> HttpResponse:
    require_visible(DepartmentCapacity, request.user)
    can_edit = getattr(request.user, "role", None) in {Role.OFFICE, Role.DEPT_ADMIN}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有联席会议办公室或部门管理员可以设置每日检查能力。")
        return _set_capacity(request)
    rows = queries.capacities_for(request.user)
    return render(request, "joint/capacity.html", {"rows": rows, "can_edit": can_edit})


def _set_capacity(request: HttpRequest) -> HttpResponse:
    form = joint_forms.CapacityForm(request.POST)
    department = Department.objects.filter(pk=form.cleaned_data["department"]).first() if form.is_valid() else None
    if department is None:
        messages.error(request, "请填写 0 至 1000 之间的每日可派检查组数。")
        return redirect("joint:capacity")
    try:
        services.set_capacity(
            actor=request.user, department=department, teams_per_day=form.cleaned_data["teams_per_day"]
        )
    except services.JointError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已设置{department.name}每日可派检查组数")
    return redirect("joint:capacity")
