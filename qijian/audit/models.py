"""Append-only, SM3 hash-chained audit events."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import Role
from qijian.core.models import NOTHING, VIEW, RestrictedManager


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField("序号", unique=True)
    occurred_at = models.DateTimeField("时间(UTC)")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_repr = models.CharField("操作人", max_length=150)
    action = models.CharField("操作", max_length=64, db_index=True)
    target_type = models.CharField("对象类型", max_length=64)
    target_id = models.CharField("对象编号", max_length=64)
    target_repr = models.CharField("对象", max_length=255)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    prev_hash = models.CharField("前一哈希", max_length=64)
    hash = models.CharField("哈希(SM3)", max_length=64, unique=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_repr}"

    def chained_fields(self) -> dict[str, Any]:
        """The fields the link hash covers (everything but the hashes themselves)."""
        return {
            "seq": self.seq,
            "occurred_at": self.occurred_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_repr": self.actor_repr,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "target_repr": self.target_repr,
            "before": self.before,
            "after": self.after,
            "request_id": self.request_id,
        }

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if action == VIEW and user.role == Role.AUDITOR:
            return Q()
        return NOTHING
