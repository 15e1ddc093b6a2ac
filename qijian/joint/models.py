"""The joint-visit workflow (综合查一次): planner runs, proposed joint visits with each department's
answer, the tasks that could not be planned, and each department's daily team capacity.

A run (``PlanningRun``) gathers every task of a quarter and calls the pure planner; each visit it
returns is a ``Proposal`` (one enterprise, one day, a lead department) made of ``ProposalTask`` rows
(one department's item, from a plan entry, a draw result or a superior filing). Each department
answers for its tasks; once all accepted, the proposal becomes one joint filing (``filing``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import OVERSEERS, Role
from qijian.core.models import NOTHING, VIEW, RestrictedManager, TimeStampedModel
from qijian.joint.choices import Answer, ProposalStatus, TaskSource

_USER = settings.AUTH_USER_MODEL


def _overseer_or_department(user: Any, action: str, field: str) -> Q:
    if user.role == Role.OFFICE or (user.role in OVERSEERS and action == VIEW):
        return Q()
    if user.role == Role.DEPT_ADMIN and user.department_id:
        return Q(**{field: user.department_id})
    return NOTHING


class DepartmentCapacity(TimeStampedModel):
    """How many inspection teams a department can send out on one day (default: the policy's figure)."""

    department = models.OneToOneField(
        "org.Department", verbose_name="部门", on_delete=models.CASCADE, related_name="joint_capacity"
    )
    teams_per_day = models.PositiveSmallIntegerField("每日可派检查组数")
    updated_by = models.ForeignKey(_USER, verbose_name="设置人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "部门每日检查能力"
        verbose_name_plural = "部门每日检查能力"
        ordering = ["department_id"]

    def __str__(self) -> str:
        return f"{self.department} {self.teams_per_day}组/日"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return _overseer_or_department(user, action, "department_id")


class PlanningRun(TimeStampedModel):
    quarter = models.CharField("季度", max_length=8, help_text="如 2027Q1")
    run_by = models.ForeignKey(_USER, verbose_name="规划人", on_delete=models.PROTECT, related_name="+")
    ran_at = models.DateTimeField("规划时间")
    algorithm_version = models.CharField("算法版本", max_length=32)
    task_count = models.PositiveIntegerField("任务数")
    tasks_planned = models.PositiveIntegerField("已规划任务数")
    visit_count = models.PositiveIntegerField("联合入企次数")
    lower_bound = models.PositiveIntegerField("理论最少入企次数(下界)")
    visits_saved = models.PositiveIntegerField("减少入企次数")
    unplannable_count = models.PositiveIntegerField("无法规划任务数")

    class Meta:
        verbose_name = "联合检查规划"
        verbose_name_plural = "联合检查规划"
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{self.quarter} 规划({self.ran_at:%Y-%m-%d %H:%M})"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role == Role.OFFICE or (action == VIEW and user.role in OVERSEERS | {Role.DEPT_ADMIN}):
            return Q()
        return NOTHING


class Proposal(TimeStampedModel):
    run = models.ForeignKey(PlanningRun, verbose_name="规划", on_delete=models.PROTECT, related_name="proposals")
    quarter = models.CharField("季度", max_length=8)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="joint_proposals"
    )
    day = models.DateField("检查日期")
    lead_department = models.ForeignKey(
        "org.Department", verbose_name="牵头部门", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    filing = models.OneToOneField(
        "inspections.Filing",
        verbose_name="联合报备",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="joint_proposal",
    )
    filing_error = models.CharField("报备未成功原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "联合检查建议"
        verbose_name_plural = "联合检查建议"
        ordering = ["day", "enterprise_id", "id"]
        indexes = [models.Index(fields=["quarter", "status"]), models.Index(fields=["enterprise", "day"])]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.enterprise}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role == Role.DEPT_ADMIN and user.department_id:
            mine = ProposalTask.objects.filter(department_id=user.department_id).values("proposal_id")
            return Q(pk__in=mine)
        return _overseer_or_department(user, action, "lead_department_id")


class _TaskFields(models.Model):
    """What the planner was told of one task: its department, item, source and window."""

    department = models.ForeignKey("org.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("catalog.CatalogItem", verbose_name="检查事项", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=16, choices=TaskSource.choices)
    plan_entry = models.ForeignKey(
        "plans.PlanEntry", verbose_name="计划条目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    draw_result = models.ForeignKey(
        "sampling.DrawResult",
        verbose_name="抽取结果",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    superior_filing = models.ForeignKey(
        "inspections.Filing",
        verbose_name="上级检查备案",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window_start = models.DateField("可检查时间(起)")
    window_end = models.DateField("可检查时间(止)")

    class Meta:
        abstract = True


class ProposalTask(_TaskFields):
    proposal = models.ForeignKey(Proposal, verbose_name="联合检查建议", on_delete=models.CASCADE, related_name="tasks")
    inspectors = models.PositiveSmallIntegerField("所需执法人员数", default=2)
    answer = models.CharField("部门意见", max_length=16, choices=Answer.choices, default=Answer.PENDING)
    reason = models.CharField("拒绝理由", max_length=255, blank=True)
    answered_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("确认时间", null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = "联合检查任务"
        verbose_name_plural = "联合检查任务"
        ordering = ["proposal_id", "department_id", "id"]

    def __str__(self) -> str:
        return f"{self.department} {self.item}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return _overseer_or_department(user, action, "department_id")


class Unplanned(_TaskFields):
    """A task the planner could not place, kept with the reason (never dropped)."""

    run = models.ForeignKey(PlanningRun, verbose_name="规划", on_delete=models.CASCADE, related_name="unplanned")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("原因", max_length=255)

    objects = RestrictedManager()

    class Meta:
        verbose_name = "无法规划的检查任务"
        verbose_name_plural = "无法规划的检查任务"
        ordering = ["run_id", "enterprise_id", "id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.item}:{self.reason}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return _overseer_or_department(user, action, "department_id")
