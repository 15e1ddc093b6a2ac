"""Alerts raised by the oversight rules (DESIGN.md §7; the rules themselves are pure, in rules.py).

``dedup_key`` makes raising idempotent: a periodic sweep or a replayed event raises one alert per
breach, never two. Critical alerts are referral candidates (纪检监察移送, mechanism 3).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import OVERSEERS, Role
from qijian.core.models import NOTHING, VIEW, TimeStampedModel
from qijian.oversight.choices import AlertStatus, ReferralStatus, RuleId, Severity

_USER = settings.AUTH_USER_MODEL


class Alert(TimeStampedModel):
    rule = models.CharField("规则", max_length=4, choices=RuleId.choices)
    severity = models.CharField("严重程度", max_length=16, choices=Severity.choices)
    dedup_key = models.CharField("去重键", max_length=160, unique=True)
    raised_at = models.DateTimeField("发生时间")
    message = models.TextField("说明")
    policy_source = models.TextField("政策依据", blank=True)
    facts = models.JSONField("事实", default=dict, blank=True)
    department = models.ForeignKey(
        "org.Department", verbose_name="部门", null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    filing = models.ForeignKey(
        "inspections.Filing",
        verbose_name="报备",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    plan = models.ForeignKey(
        "plans.Plan", verbose_name="计划", null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    referral_candidate = models.BooleanField("移送纪检监察候选", default=False)
    status = models.CharField("状态", max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    acknowledged_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)
    resolved_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    resolution = models.TextField("处理意见", blank=True)

    class Meta:
        verbose_name = "监督预警"
        verbose_name_plural = "监督预警"
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-raised_at"]),
            models.Index(fields=["rule", "-raised_at"]),
            models.Index(fields=["department", "-raised_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.message[:40]}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role == Role.OFFICE:
            return Q()
        if user.role in OVERSEERS and action == VIEW:
            return Q()
        if user.role == Role.DEPT_ADMIN and action == VIEW:
            return Q(department_id=user.department_id)
        return NOTHING


class Reminder(models.Model):
    """A deadline reminder sent to a department's admins; ``key`` makes each one go out exactly once.

    key: "<what>:<department id>:<period>:<days before>", e.g. "plan:3:2026Q2:3".
    """

    key = models.CharField("去重键", max_length=120, unique=True)
    department = models.ForeignKey(
        "org.Department", verbose_name="部门", on_delete=models.CASCADE, related_name="oversight_reminders"
    )
    what = models.CharField("提醒事项", max_length=32)
    period = models.CharField("期间", max_length=16)
    days_before = models.PositiveSmallIntegerField("截止前天数")
    closes = models.DateField("截止日期")
    recipients = models.JSONField("收件人", default=list, blank=True)
    sent_at = models.DateTimeField("发送时间")

    class Meta:
        verbose_name = "截止提醒"
        verbose_name_plural = "截止提醒"
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.key


class Referral(TimeStampedModel):
    """A referral to discipline inspection (纪检监察移送), from an alert or a complaint.

    Proposed by the supervisor (or the office), it needs two approvals by two different people: one
    of the office and one of the supervisor. On the second approval the evidence packet (PDF) is
    fixed: its SHA-256 is written to the audit trail, and the discipline role reads the referral and
    its packet — and nothing else.
    """

    number = models.CharField("移送编号", max_length=32, unique=True)
    alert = models.ForeignKey(
        Alert, verbose_name="预警", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    complaint = models.ForeignKey(
        "evaluations.Complaint",
        verbose_name="投诉举报",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name="涉及部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="涉及企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    reason = models.TextField("移送理由")
    status = models.CharField("状态", max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED)
    proposed_by = models.ForeignKey(_USER, verbose_name="提出人", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField("提出时间")
    office_approved_by = models.ForeignKey(
        _USER, verbose_name="办公室审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office_approved_at = models.DateTimeField("办公室审批时间", null=True, blank=True)
    supervisor_approved_by = models.ForeignKey(
        _USER, verbose_name="司法局审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervisor_approved_at = models.DateTimeField("司法局审批时间", null=True, blank=True)
    rejected_by = models.ForeignKey(
        _USER, verbose_name="否决人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_at = models.DateTimeField("否决时间", null=True, blank=True)
    rejection_reason = models.TextField("否决理由", blank=True)
    packet = models.FileField("证据材料包", upload_to="referrals/", blank=True)
    packet_sha256 = models.CharField("材料包 SHA-256", max_length=64, blank=True)
    received_at = models.DateTimeField("纪检监察签收时间", null=True, blank=True)

    class Meta:
        verbose_name = "纪检监察移送"
        verbose_name_plural = "纪检监察移送"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(alert__isnull=False) | Q(complaint__isnull=False), name="oversight_referral_has_origin"
            ),
            # One open (proposed or approved) referral per origin; after a rejection a new one may be proposed.
            models.UniqueConstraint(
                fields=["alert"],
                condition=Q(alert__isnull=False) & ~Q(status=ReferralStatus.REJECTED),
                name="oversight_referral_one_open_per_alert",
            ),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(complaint__isnull=False) & ~Q(status=ReferralStatus.REJECTED),
                name="oversight_referral_one_open_per_complaint",
            ),
        ]
        indexes = [models.Index(fields=["status", "-proposed_at"])]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role in (Role.OFFICE, Role.SUPERVISOR):
            return Q()
        if user.role == Role.DISCIPLINE and action == VIEW:
            return Q(status=ReferralStatus.APPROVED)
        return NOTHING
