"""Complaints (投诉举报) about inspections: from the enterprise, the 12345 hotline, 企业家直通车, or staff.

A complaint names, when known, the enterprise, the department and the filing or check-in it is
about. It is handled through received → handling → replied (or rejected) with deadlines from the
policy file; the outcome goes back to the complainant. External tickets are unique per source
(``source`` + ``external_id``) so an export imported twice adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import Role
from qijian.core.models import NOTHING, VIEW, TimeStampedModel
from qijian.evaluations.choices import ComplaintFeedback, ComplaintSource, ComplaintStatus

_USER = settings.AUTH_USER_MODEL


class Complaint(TimeStampedModel):
    number = models.CharField("投诉编号", max_length=32, unique=True)
    source = models.CharField("来源", max_length=16, choices=ComplaintSource.choices)
    external_id = models.CharField("来源工单号", max_length=64, blank=True)
    received_at = models.DateTimeField("收到时间")
    complainant = models.CharField("投诉人", max_length=100, blank=True)
    contact = models.CharField("联系方式", max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name="被投诉部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    filing = models.ForeignKey(
        "inspections.Filing",
        verbose_name="报备",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    checkin = models.ForeignKey(
        "checkins.CheckIn",
        verbose_name="入企扫码记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    summary = models.TextField("投诉内容")
    status = models.CharField("状态", max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED)
    accept_due = models.DateField("受理期限")
    reply_due = models.DateField("办结期限")
    handler = models.ForeignKey(
        _USER, verbose_name="承办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    outcome = models.TextField("办理结果", blank=True)
    replied_at = models.DateTimeField("反馈时间", null=True, blank=True)
    created_by = models.ForeignKey(
        _USER, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # How the outcome (or the reason of a rejection, kept in ``outcome``) went back to the complainant.
    feedback = models.CharField("反馈方式", max_length=16, choices=ComplaintFeedback.choices, blank=True)
    # When the daily sweep told the handler/supervisors that a deadline passed (once per deadline).
    accept_overdue_noticed_at = models.DateTimeField("受理超期提醒时间", null=True, blank=True)
    reply_overdue_noticed_at = models.DateTimeField("办结超期提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = "投诉举报"
        verbose_name_plural = "投诉举报"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], condition=~Q(external_id=""), name="evaluations_complaint_ticket_once"
            )
        ]
        indexes = [models.Index(fields=["status", "reply_due"]), models.Index(fields=["department", "received_at"])]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role in (Role.OFFICE, Role.SUPERVISOR):
            return Q()
        if user.role == Role.ENTERPRISE and action == VIEW and user.enterprise_id:
            return Q(enterprise_id=user.enterprise_id, source=ComplaintSource.ENTERPRISE)
        return NOTHING
