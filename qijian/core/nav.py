"""The navigation menu: one entry per page family, shown to the roles that may use it.

Apps add their entries here (label, URL name, roles); the template renders what the user's role allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from qijian.accounts.choices import Role


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[str]


ALL_ROLES = frozenset(r.value for r in Role)

ENTRIES: list[NavEntry] = [
    NavEntry("首页", "core:home", ALL_ROLES),
    NavEntry("用户管理", "accounts:user_list", frozenset({Role.SYSADMIN, Role.DEPT_ADMIN})),
    NavEntry("安全管理", "accounts:security", frozenset({Role.SECADMIN})),
    NavEntry("我的账号", "accounts:me", ALL_ROLES),
]

# Registry pages (org, enterprises): every staff role; the enterprise list sends an enterprise user to its own record.
_REGISTRY_ROLES = ALL_ROLES - {Role.ENTERPRISE.value, Role.SECADMIN.value, Role.AUDITOR.value, Role.DISCIPLINE.value}
ENTRIES += [
    NavEntry("企业", "enterprises:list", _REGISTRY_ROLES),
    NavEntry("本企业", "enterprises:list", frozenset({Role.ENTERPRISE.value})),
    NavEntry("部门", "org:department_list", _REGISTRY_ROLES),
    NavEntry("执法人员", "org:inspector_list", _REGISTRY_ROLES),
]

# The audit trail (三员分立): read by the security auditor alone.
_AUDITOR = frozenset({Role.AUDITOR.value})
ENTRIES += [
    NavEntry("审计日志", "audit:list", _AUDITOR),
    NavEntry("审计链校验", "audit:verify", _AUDITOR),
    NavEntry("签名检查点", "audit:checkpoints", _AUDITOR),
]


# Imports (docs/imports.md): enterprises by the office and sysadmin; inspectors also by department admins.
ENTRIES += [
    NavEntry("导入企业", "imports:enterprises", frozenset({Role.OFFICE.value, Role.SYSADMIN.value})),
    NavEntry(
        "导入执法人员", "imports:inspectors", frozenset({Role.OFFICE.value, Role.SYSADMIN.value, Role.DEPT_ADMIN.value})
    ),
]


# Catalog and meetings (docs/catalog.md): staff read the catalog; overseers and dept admins the meetings.
ENTRIES += [
    NavEntry("检查事项清单", "catalog:home", _REGISTRY_ROLES),
    NavEntry(
        "联席会议",
        "meetings:meeting_list",
        frozenset({Role.OFFICE.value, Role.SUPERVISOR.value, Role.RANDOM_COORDINATOR.value, Role.DEPT_ADMIN.value}),
    ),
]

# Oversight (docs/oversight.md): alerts for the overseers and department admins; every user's inbox.
ENTRIES += [
    NavEntry(
        "监督预警",
        "oversight:alert_list",
        frozenset({Role.OFFICE.value, Role.SUPERVISOR.value, Role.RANDOM_COORDINATOR.value, Role.DEPT_ADMIN.value}),
    ),
    NavEntry("消息", "oversight:inbox", ALL_ROLES),
]


# Plans (docs/plans.md): departments draft, overseers review and approve, inspectors read; work reports.
_PLAN_ROLES = frozenset(
    {
        Role.OFFICE.value,
        Role.SUPERVISOR.value,
        Role.RANDOM_COORDINATOR.value,
        Role.DEPT_ADMIN.value,
        Role.INSPECTOR.value,
    }
)
ENTRIES += [
    NavEntry("检查计划", "plans:plan_list", _PLAN_ROLES),
    NavEntry("工作情况报送", "plans:work_report_list", _PLAN_ROLES - {Role.INSPECTOR.value}),
    NavEntry("全县计划表", "plans:table_county", _PLAN_ROLES - {Role.DEPT_ADMIN.value, Role.INSPECTOR.value}),
]


# Filings (docs/filings.md): the office sees every filing; departments file; inspectors and enterprises read their own.
_FILING_ROLES = frozenset(
    {
        Role.OFFICE.value,
        Role.SUPERVISOR.value,
        Role.RANDOM_COORDINATOR.value,
        Role.DEPT_ADMIN.value,
        Role.INSPECTOR.value,
        Role.ENTERPRISE.value,
    }
)
ENTRIES += [NavEntry("检查报备", "inspections:list", _FILING_ROLES)]

# The inspector's phone check-in page (docs/phone.md).
ENTRIES += [NavEntry("扫码入企", "checkins:phone_scan", frozenset({Role.INSPECTOR.value}))]

# Check-in records (docs/checkins.md): overseers see all, department admins their inspectors', inspectors their own;
# an enterprise sees the trace of its own inspections.
ENTRIES += [
    NavEntry("入企扫码记录", "checkins:list", _FILING_ROLES - {Role.ENTERPRISE.value}),
    NavEntry("本企业检查轨迹", "checkins:own_trace", frozenset({Role.ENTERPRISE.value})),
]

# Grading (docs/grading.md): internal, not public — overseers and department admins read; the office imports.
_GRADE_ROLES = frozenset(
    {Role.OFFICE.value, Role.SUPERVISOR.value, Role.RANDOM_COORDINATOR.value, Role.DEPT_ADMIN.value}
)
ENTRIES += [
    NavEntry("分级分类", "grading:list_index", _GRADE_ROLES),
    NavEntry("C类重点监管", "grading:focus_list", _GRADE_ROLES),
    NavEntry("导入分级指标", "grading:import_upload", frozenset({Role.OFFICE.value})),
]

# Random draws (docs/sampling.md): the coordinator draws; overseers and the departments taking part read.
ENTRIES += [
    NavEntry(
        "双随机抽取",
        "sampling:draw_list",
        frozenset(
            {
                Role.OFFICE.value,
                Role.SUPERVISOR.value,
                Role.RANDOM_COORDINATOR.value,
                Role.DEPT_ADMIN.value,
                Role.INSPECTOR.value,
            }
        ),
    )
]


# Joint visits (docs/joint.md): the office plans; overseers read; department admins answer their proposals.
ENTRIES += [
    NavEntry(
        "综合查一次",
        "joint:proposal_list",
        frozenset({Role.OFFICE.value, Role.SUPERVISOR.value, Role.RANDOM_COORDINATOR.value, Role.DEPT_ADMIN.value}),
    )
]

# Follow-ups (docs/followups.md): 回访 by 县司法局 staff; the office watches them. Departments see counts only.
ENTRIES += [NavEntry("回访", "evaluations:followup_list", frozenset({Role.OFFICE.value, Role.SUPERVISOR.value}))]

# Complaints (docs/complaints.md): the office and 司法局 handle all; an enterprise its own. Departments: counts only.
_COMPLAINT_STAFF = frozenset({Role.OFFICE.value, Role.SUPERVISOR.value})
ENTRIES += [
    NavEntry("投诉举报", "evaluations:complaint_list", _COMPLAINT_STAFF),
    NavEntry("导入投诉工单", "evaluations:complaint_import", _COMPLAINT_STAFF),
    NavEntry("本企业的投诉", "evaluations:my_complaints", frozenset({Role.ENTERPRISE.value})),
]

# Questionnaires and answers (docs/questionnaires.md): office and 司法局 manage versions and read answers;
# department admins read the questions and their own department's anonymous aggregates.
ENTRIES += [
    NavEntry(
        "评价问卷",
        "evaluations:questionnaire_list",
        frozenset({Role.OFFICE.value, Role.SUPERVISOR.value, Role.DEPT_ADMIN.value}),
    ),
    NavEntry("评价答卷", "evaluations:response_list", frozenset({Role.OFFICE.value, Role.SUPERVISOR.value})),
    NavEntry("评价统计", "evaluations:answer_aggregates", frozenset({Role.DEPT_ADMIN.value})),
]

# Quarterly evaluation summary (docs/evaluation-summary.md): the joint meeting's packet, for the office and 司法局.
ENTRIES += [NavEntry("评价汇总", "evaluations:summary", frozenset({Role.OFFICE.value, Role.SUPERVISOR.value}))]

# Referrals to discipline inspection (docs/referrals.md): the office and 司法局 propose and approve; discipline
# reads the approved ones and their evidence packets — its only entry besides home, inbox and account.
ENTRIES += [
    NavEntry(
        "纪检监察移送",
        "oversight:referral_list",
        frozenset({Role.OFFICE.value, Role.SUPERVISOR.value, Role.DISCIPLINE.value}),
    )
]


def menu_for(role: str) -> list[tuple[str, str]]:
    return [(e.label, reverse(e.url_name)) for e in ENTRIES if role in e.roles]
