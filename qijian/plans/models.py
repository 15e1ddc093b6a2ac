"""Plans: the annual random plan (双随机, random coordinator) and each department's quarterly plan.

Flow (services.py): draft → submitted (in the window: the last two weeks of the preceding quarter,
or within an extension the office granted) → reviewed (random entries by 市场监管局, targeted ones
by 司法局) → approved by a joint-meeting decision; either reviewer or the office can return it with
comments. At quarter end each entry records its completion (附件2-2).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import OVERSEERS, Role
from qijian.catalog.choices import InspectionMethod, InspectionMode
from qijian.core.models import NOTHING, VIEW, TimeStampedModel
from qijian.plans.choices import Completion, InspectionLevel, PlanKind, PlanStatus, ReviewStatus

_USER = settings.AUTH_USER_MODEL


def _department_scope(user: Any, action: str, field: str = "department_id") -> Q:
    if action == VIEW and user.role in OVERSEERS:
        return Q()
    if user.role == Role.DEPT_ADMIN:
        return Q(**{field: user.department_id})
    if user.role == Role.INSPECTOR and action == VIEW:
        return Q(**{field: user.department_id})
    if user.role in OVERSEERS:  # CHANGE: reviewing and approving go through services that check the role
        return Q()
    return NOTHING


class Plan(TimeStampedModel):
    kind = models.CharField("计划类型", max_length=16, choices=PlanKind.choices, default=PlanKind.QUARTERLY)
    department = models.ForeignKey(
        "org.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", null=True, blank=True, help_text="年度计划为空")
    status = models.CharField("状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    random_review = models.CharField(
        "双随机事项审核(县市场监管局)", max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.NOT_NEEDED
    )
    random_reviewed_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    random_reviewed_at = models.DateTimeField(null=True, blank=True)
    targeted_review = models.CharField(
        "非双随机事项审核(县司法局)", max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.NOT_NEEDED
    )
    targeted_reviewed_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    targeted_reviewed_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField("退回意见", blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField("逾期报送", default=False)
    extension_until = models.DateTimeField("延期报送截止", null=True, blank=True)
    extension_reason = models.CharField("延期原因", max_length=255, blank=True)
    decision = models.ForeignKey(
        "meetings.Decision", verbose_name="审定决定", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    completion_reported_at = models.DateTimeField("完成情况报送时间", null=True, blank=True)

    class Meta:
        verbose_name = "检查计划"
        verbose_name_plural = "检查计划"
        ordering = ["-year", "-quarter", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "department", "year", "quarter"], name="plan_unique_period"),
            models.UniqueConstraint(
                fields=["kind", "department", "year"],
                condition=Q(quarter__isnull=True),
                name="plan_unique_annual",
            ),
        ]

    def __str__(self) -> str:
        if self.quarter:
            return f"{self.department} {self.year}年第{self.quarter}季度检查计划"
        return f"{self.department} {self.year}年度双随机检查计划"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return _department_scope(user, action)


class PlanEntry(TimeStampedModel):
    """One row of 附件2-1 (and, for multi-level entries, of 附件5), with its completion (附件2-2)."""

    plan = models.ForeignKey(Plan, verbose_name="检查计划", on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(
        "catalog.CatalogItem", verbose_name="检查事项", on_delete=models.PROTECT, related_name="plan_entries"
    )
    basis = models.CharField("检查依据", max_length=255)
    mode = models.CharField("检查类别", max_length=16, choices=InspectionMode.choices)
    method = models.CharField(
        "检查方式", max_length=16, choices=InspectionMethod.choices, default=InspectionMethod.ONSITE
    )
    joint = models.BooleanField("是否联合检查", default=False)
    partners = models.ManyToManyField("org.Department", verbose_name="联合部门", blank=True, related_name="+")
    window_start = models.DateField("计划检查时间(起)")
    window_end = models.DateField("计划检查时间(止)")
    targets = models.ManyToManyField("enterprises.Enterprise", verbose_name="检查对象", blank=True, related_name="+")
    target_rule = models.CharField("抽查范围与比例", max_length=255, blank=True)
    expected_count = models.PositiveIntegerField("预计检查户次")
    note = models.CharField("备注", max_length=255, blank=True)
    # 附件5: multi-level entries
    level = models.CharField("检查层级", max_length=16, choices=InspectionLevel.choices, default=InspectionLevel.COUNTY)
    implementing_department = models.ForeignKey(
        "org.Department",
        verbose_name="实施部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="上级或乡镇部门实施时填写;为空即本部门",
    )
    multi_level_joint = models.BooleanField("是否多层级联合", default=False)
    participants = models.CharField("参与层级及部门", max_length=255, blank=True)
    township_notice = models.CharField("属地政府通知情况", max_length=255, blank=True)
    acceptance_plan = models.CharField("验收勘察安排(最多一次)", max_length=255, blank=True)
    # 附件2-2: completion, reported at quarter end
    completion = models.CharField("完成情况", max_length=16, choices=Completion.choices, blank=True)
    actual_count = models.PositiveIntegerField("实际户次", null=True, blank=True)
    joint_count = models.PositiveIntegerField("其中联合检查户次", null=True, blank=True)
    remote_count = models.PositiveIntegerField("其中非现场检查户次", null=True, blank=True)
    problem_count = models.PositiveIntegerField("发现问题户次", null=True, blank=True)
    no_penalty_count = models.PositiveIntegerField("免罚件数", null=True, blank=True)
    reduced_penalty_count = models.PositiveIntegerField("减轻处罚件数", null=True, blank=True)
    no_coercion_count = models.PositiveIntegerField("不予强制件数", null=True, blank=True)
    completion_reason = models.CharField("未完成原因", max_length=255, blank=True)
    completion_note = models.CharField("完成情况备注", max_length=255, blank=True)

    class Meta:
        verbose_name = "计划条目"
        verbose_name_plural = "计划条目"
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_end__gte=models.F("window_start")), name="plan_entry_window_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.item.name}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return _department_scope(user, action, "plan__department_id")


class WorkReport(TimeStampedModel):
    """工作情况报送: due to the office before the 15th of each quarter's first month (R11)."""

    department = models.ForeignKey(
        "org.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="work_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", help_text="报告所述季度")
    text = models.TextField("工作情况")
    submitted_at = models.DateTimeField("报送时间")
    submitted_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField("逾期报送", default=False)

    class Meta:
        verbose_name = "工作情况报送"
        verbose_name_plural = "工作情况报送"
        ordering = ["-year", "-quarter", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year", "quarter"], name="work_report_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}年第{self.quarter}季度工作情况"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return _department_scope(user, action)
