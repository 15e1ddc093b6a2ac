"""Append-only, SM3 hash-chained audit events and their signed checkpoints."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import Role
from qijian.audit.chain import CHAINED_FIELDS, utc_text
from qijian.audit.choices import CheckpointKind, RunStatus
from qijian.core.models import NOTHING, VIEW, RestrictedQuerySet

IMMUTABLE_MESSAGE = "审计记录只可追加,不能修改或删除"


class AuditImmutableError(Exception):
    """Raised on any attempt to change or delete an audit event or checkpoint through the ORM."""

    def __init__(self, message: str = IMMUTABLE_MESSAGE) -> None:
        super().__init__(message)


class AppendOnlyQuerySet(RestrictedQuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError()

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AuditImmutableError()


class AppendOnlyManager(models.Manager.from_queryset(AppendOnlyQuerySet)):  # type: ignore[misc]
    pass


def _auditor_scope(user: Any, action: str) -> Q:
    """三员分立: only the security auditor reads the audit trail; nobody changes it."""
    return Q() if action == VIEW and user.role == Role.AUDITOR else NOTHING


class AppendOnlyModel(models.Model):
    objects = AppendOnlyManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        raise AuditImmutableError()

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return _auditor_scope(user, action)


class AuditEvent(AppendOnlyModel):
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
    # Unique: two events can never name the same predecessor, so the chain cannot fork.
    prev_hash = models.CharField("前一哈希", max_length=64, unique=True)
    hash = models.CharField("哈希(SM3)", max_length=64, unique=True)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "seq"]),
            models.Index(fields=["occurred_at"]),
            models.Index(fields=["actor_repr", "seq"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_repr}"

    def chained_fields(self) -> dict[str, Any]:
        """The fields the link hash covers (everything but the hashes themselves)."""
        values = {name: getattr(self, name) for name in CHAINED_FIELDS}
        values["occurred_at"] = utc_text(self.occurred_at)
        return values


class AuditCheckpoint(AppendOnlyModel):
    """A signed statement "the chain had this head hash at this seq", checkable with only the key."""

    up_to_seq = models.PositiveBigIntegerField("截至序号", db_index=True)
    head_hash = models.CharField("链头哈希", max_length=64)
    event_count = models.PositiveBigIntegerField("事件数")
    created_at = models.DateTimeField("签署时间(UTC)")
    key_id = models.CharField("密钥编号", max_length=32)
    kind = models.CharField("类型", max_length=16, choices=CheckpointKind.choices)
    signature = models.CharField("签名(HMAC-SM3)", max_length=64)

    class Meta:
        verbose_name = "审计检查点"
        verbose_name_plural = "审计检查点"
        ordering = ["up_to_seq", "id"]

    def __str__(self) -> str:
        return f"检查点 至 #{self.up_to_seq} ({self.key_id})"

    def signed_fields(self) -> dict[str, Any]:
        return {
            "up_to_seq": self.up_to_seq,
            "head_hash": self.head_hash,
            "event_count": self.event_count,
            "created_at": utc_text(self.created_at),
            "key_id": self.key_id,
            "kind": self.kind,
            "signature": self.signature,
        }


class AuditPurgePermit(models.Model):
    """SQLite only: while a purge runs, its row lets the delete trigger through (PostgreSQL uses SET LOCAL)."""

    up_to_seq = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = "审计清除许可"
        verbose_name_plural = "审计清除许可"

    def __str__(self) -> str:
        return f"清除许可 至 #{self.up_to_seq}"


class VerificationRun(models.Model):
    """One run of the chain verification requested from the auditor's page (runs as a background task)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("发起时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING)
    rows = models.PositiveBigIntegerField("校验事件数", default=0)
    checkpoints = models.PositiveIntegerField("校验检查点数", default=0)
    first_seq = models.PositiveBigIntegerField("起始序号", null=True, blank=True)
    last_seq = models.PositiveBigIntegerField("截至序号", null=True, blank=True)
    attested_to = models.PositiveBigIntegerField("已签名至序号", default=0)
    broken_seq = models.PositiveBigIntegerField("断裂序号", null=True, blank=True)
    broken_kind = models.CharField("断裂类型", max_length=32, blank=True)
    detail = models.TextField("说明", blank=True)

    objects = models.Manager.from_queryset(RestrictedQuerySet)()

    class Meta:
        verbose_name = "审计链校验"
        verbose_name_plural = "审计链校验"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"校验 #{self.pk} {self.get_status_display()}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return _auditor_scope(user, action)
