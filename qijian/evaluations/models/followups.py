"""Follow-ups (回访): one per finished on-site inspection of an enterprise, due within the policy's days.

A follow-up is created when the check-in of an on-site inspection is checked out (see hooks.py); it
is run by 司法局 staff (the supervisor role), who record how they reached the enterprise and what
they learnt. What the enterprise said is not the inspected department's to read: follow-ups are
read by the office and the supervisor only; departments see counts (queries.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import Role
from qijian.core.models import NOTHING, TimeStampedModel
from qijian.evaluations.choices import FollowUpMethod, FollowUpStatus

_USER = settings.AUTH_USER_MODEL


class FollowUp(TimeStampedModel):
    checkin = models.OneToOneField(
        "checkins.CheckIn", verbose_name="入企扫码记录", on_delete=models.PROTECT, related_name="follow_up"
    )
    filing = models.ForeignKey(
        "inspections.Filing",
        verbose_name="报备",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="follow_ups"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name="检查部门", on_delete=models.PROTECT, related_name="follow_ups"
    )
    inspected_on = models.DateField("检查日期")
    due_on = models.DateField("回访期限")
    assigned_to = models.ForeignKey(
        _USER, verbose_name="回访人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.PENDING)
    method = models.CharField("回访方式", max_length=16, choices=FollowUpMethod.choices, blank=True)
    findings = models.TextField("回访情况", blank=True)
    done_at = models.DateTimeField("回访时间", null=True, blank=True)
    done_by = models.ForeignKey(
        _USER, verbose_name="办理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField("提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = "回访"
        verbose_name_plural = "回访"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["department", "inspected_on"]),
            models.Index(fields=["enterprise", "inspected_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} 回访({self.due_on:%Y-%m-%d}前)"

    @property
    def done_late(self) -> bool:
        """Done after its deadline day (in the county's time zone): marked late in lists."""
        from qijian.core.calendar import local_zone

        return self.done_at is not None and self.done_at.astimezone(local_zone()).date() > self.due_on

    def overdue_on(self, today: dt.date) -> bool:
        """Still pending after its deadline day (R10)."""
        return self.status == FollowUpStatus.PENDING and today > self.due_on

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role in (Role.OFFICE, Role.SUPERVISOR):
            return Q()
        return NOTHING
