"""The home page of each role, and small helpers the list and detail pages share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qijian.accounts.choices import Role
from qijian.audit.models import AuditEvent
from qijian.audit.queries import events_for
from qijian.core.models import NOTHING, VIEW
from qijian.enterprises import queries as enterprise_queries
from qijian.evaluations.labels import LABELS as EVALUATION_LABELS
from qijian.org import queries as org_queries

DASHBOARD_ROLES = frozenset({Role.OFFICE, Role.SUPERVISOR, Role.RANDOM_COORDINATOR})
DASHBOARD_CACHE_SECONDS = 300

# Chinese names of audited actions, for the activity timeline; unknown codes show as they are.
ACTION_LABELS = {
    "org.create_region": "新建行政区划",
    "org.create_department": "新建部门",
    "org.add_platform": "登记执法监管平台",
    "org.declare_conflict": "申报利益冲突",
    "enterprises.create_industry": "新建行业分类",
    "enterprises.register": "登记企业",
    "enterprises.set_grade": "调整分级分类",
    "inspections.file_planned": "计划内检查报备",
    "inspections.file_urgent": "紧急检查报备",
    "inspections.file_superior_inspection": "上级部门检查备案",
    "inspections.file_acceptance_visit": "勘察验收报备",
    "inspections.amend_filing": "变更报备",
    "inspections.cancel_filing": "撤销报备",
    "inspections.office_notified": "办公室报备邮件已送达",
    "inspections.township_notified": "属地政府通知已发送",
    "inspections.township_unreachable": "属地政府未配置通知邮箱",
    "inspections.office_read": "办公室已查阅",
    "checkins.record_checkin": "扫码入企",
    "checkins.check_out": "登记检查结果并离开",
    "checkins.add_attachment": "上传检查附件",
    "oversight.raise_alert": "生成监督预警",
    "oversight.acknowledge_alert": "确认监督预警",
    "oversight.resolve_alert": "办结监督预警",
    "oversight.send_reminder": "发送报送提醒",
    "meetings.record_meeting": "记录联席会议",
    "meetings.record_decision": "记录会议决定",
    "catalog.create_version": "新建检查事项清单版本",
    "catalog.add_item": "添加检查事项",
    "catalog.update_item": "修改检查事项",
    "catalog.remove_item": "删除检查事项",
    "catalog.submit": "提交检查事项清单",
    "catalog.approve": "审定检查事项清单",
    "catalog.return": "退回检查事项清单",
    "plans.create_plan": "新建检查计划",
    "plans.add_entry": "添加计划条目",
    "plans.update_entry": "修改计划条目",
    "plans.remove_entry": "删除计划条目",
    "plans.submit_plan": "报送检查计划",
    "plans.review_plan": "审核检查计划",
    "plans.approve_plan": "审定检查计划",
    "plans.return_plan": "退回检查计划",
    "plans.grant_extension": "批准延期报送",
    "plans.report_completion": "报送完成情况",
    "plans.submit_work_report": "报送工作情况",
    "sampling.prepare_draw": "准备双随机抽取",
    "sampling.discard_draw": "放弃双随机抽取",
    "sampling.commit_seed": "公布随机种子哈希",
    "sampling.execute_draw": "执行双随机抽取",
    "sampling.publish_results": "公布抽取结果",
    "grading.import_indicators": "导入分级分类指标",
    "grading.produce_list": "编制分级分类监管清单",
    "grading.approve_list": "审定分级分类监管清单",
    "grading.apply_list": "分级分类监管清单生效",
    "grading.override_grade": "人工调整企业等级",
    "joint.run_planner": "运行联合检查规划",
    "joint.answer_proposal": "确认联合检查建议",
    "joint.file_proposal": "联合检查报备(综合查一次)",
    "joint.file_refused": "联合检查报备未通过",
    "joint.proposal_filed": "联合检查建议形成报备",
    "joint.set_capacity": "设置部门每日检查能力",
    **EVALUATION_LABELS,
    "admin.add": "管理后台新增",
    "admin.change": "管理后台修改",
    "admin.delete": "管理后台删除",
}


def require_visible(model: type[Model], user: Any) -> None:
    """403 for a role whose scope on ``model`` is empty: it has no business on that page."""
    if model.scope_q(user, VIEW) == NOTHING:  # type: ignore[attr-defined]
        raise PermissionDenied("您的角色无权查看此页面。")


def style_form(form: forms.Form) -> forms.Form:
    """Give a filter form's widgets Tabler's classes (no inline styles: CSP)."""
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault(
            "class", f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"
        )
        field.widget.attrs.setdefault("placeholder", field.label or "")
    return form


def timeline(obj: Model) -> list[dict[str, Any]]:
    """The audit events of an object the caller has ALREADY fetched through restrict()."""
    return [_timeline_row(event) for event in events_for(obj)]


def _timeline_row(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.occurred_at,
        "actor": event.actor.get_full_name() or event.actor.username if event.actor else event.actor_repr,
        "action": ACTION_LABELS.get(event.action, event.action),
        "code": event.action,
        "after": event.after,
    }


def _county_dashboard() -> dict[str, Any]:
    counts = org_queries.registry_counts() | {"enterprises": enterprise_queries.estimated_total() or 0}
    return {"counts": counts, "grades": enterprise_queries.grade_distribution()}


def _oversight_counts(user: Any) -> dict[str, int]:
    """What needs the overseer's attention now (not cached: a filing or breach shows at once)."""
    from qijian.inspections import queries as filing_queries
    from qijian.oversight import queries as oversight_queries

    open_alerts = oversight_queries.alerts_for(user).filter(status="open")
    return {
        "unread_filings": filing_queries.unread_count(user),
        "open_alerts": open_alerts.count(),
        "open_critical": open_alerts.filter(severity="critical").count(),
        "messages": oversight_queries.unread_count(user),
    }


def _joint_figures() -> dict[str, Any]:
    """综合查一次: the latest planning run's visits saved and this year's county joint share."""
    from qijian.joint import queries as joint_queries

    county = joint_queries.county_share(joint_queries.year_of(""))
    return {"run": joint_queries.latest_run(), "share": county}


def _evaluation_figures(user: Any) -> Any:
    """事后评价: this quarter's figures so far (satisfaction, overdue follow-ups, complaints, referrals)."""
    from qijian.evaluations.queries.summary import dashboard_summary

    return dashboard_summary(user)


def _home_context(user: Any) -> dict[str, Any]:
    role = user.role
    if role in DASHBOARD_ROLES:
        county = cache.get_or_set("qj:county-dashboard", _county_dashboard, DASHBOARD_CACHE_SECONDS)
        return {
            "dashboard": county,
            "live": _oversight_counts(user),
            "joint": _joint_figures(),
            "evaluation": _evaluation_figures(user),
        }
    if role == Role.DEPT_ADMIN:
        rows = org_queries.expiring_certificates(user).filter(department_id=user.department_id)
        return {"expiring": list(rows[:100]), "expiry_days": org_queries.EXPIRY_WARNING_DAYS}
    if role == Role.INSPECTOR and user.inspector_id:
        inspector = org_queries.inspectors_for(user).filter(pk=user.inspector_id).first()
        return {"inspector": inspector, "today": org_queries.today()}
    if role == Role.DISCIPLINE:  # its approved referrals (纪检监察移送), nothing else
        from qijian.oversight.referral_queries import referral_rows

        return {"referrals": list(referral_rows(user)[:50])}
    if role == Role.ENTERPRISE:
        return {"enterprise": enterprise_queries.enterprises_for(user).filter(pk=user.enterprise_id).first()}
    return {}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"role": request.user.role} | _home_context(request.user))  # type: ignore[union-attr]
