"""Base models and the scoped queryset every read goes through (``restrict(user, action)``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from qijian.accounts.models import User

VIEW = "view"
CHANGE = "change"
ACTIONS = (VIEW, CHANGE)

NOTHING = Q(pk__in=[])


class RestrictedQuerySet(models.QuerySet[Any]):
    """A queryset that can be narrowed to what one user may do.

    Each model decides its own scope in ``scope_q(user, action)``; the default is to see
    nothing, so a model that forgets to declare a scope leaks nothing.
    """

    def restrict(self, user: User | Any, action: str = VIEW) -> Self:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        scope = getattr(self.model, "scope_q", None)
        if scope is None:
            return self.none()
        return self.filter(scope(user, action))


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):  # type: ignore[misc]
    pass


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RestrictedManager()

    class Meta:
        abstract = True


class Notification(models.Model):
    """An in-app message to one user (the office's inbox of filings, alerts and reminders)."""

    recipient = models.ForeignKey(
        "accounts.User", verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=255, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return Q(recipient_id=user.pk)
