"""The joint meeting (联席会议, 附件1), minimal: meetings and the decisions recorded at them.

Catalog versions and plans are approved "by a joint-meeting decision": the office records the
decision here and the approving service links to it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import Role
from qijian.core.models import NOTHING, VIEW, TimeStampedModel
from qijian.meetings.choices import DecisionSubject, MeetingKind
from qijian.org.models import STAFF_ROLES


class Meeting(TimeStampedModel):
    title = models.CharField("会议名称", max_length=128)
    kind = models.CharField("会议类型", max_length=16, choices=MeetingKind.choices, default=MeetingKind.QUARTERLY)
    held_on = models.DateField("召开日期")
    minutes = models.TextField("会议纪要", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if action == VIEW:
            return Q() if user.role in STAFF_ROLES else NOTHING
        return Q() if user.role == Role.OFFICE else NOTHING


class Decision(TimeStampedModel):
    """One decision (议定事项) of a meeting; recorded by the office, at the server's time."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField("决定编号", max_length=32, unique=True)
    subject = models.CharField("事项类别", max_length=24, choices=DecisionSubject.choices)
    text = models.TextField("决定内容")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "会议决定"
        verbose_name_plural = "会议决定"
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:30]}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return Meeting.scope_q(user, action)
