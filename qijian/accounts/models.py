"""Users: each holds exactly one role and belongs to one department or one enterprise."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import COUNTY_WIDE, Role
from qijian.core.models import NOTHING, VIEW, RestrictedQuerySet


class QijianUserManager(UserManager.from_queryset(RestrictedQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    department = models.ForeignKey(
        "org.Department", verbose_name="所属部门", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    inspector = models.OneToOneField(
        "org.Inspector",
        verbose_name="执法人员档案",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    phone = models.CharField("联系电话", max_length=32, blank=True)

    objects = QijianUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="enterprise") | Q(enterprise__isnull=False), name="enterprise_user_has_enterprise"
            ),
            models.CheckConstraint(
                condition=Q(role="enterprise") | Q(enterprise__isnull=True),
                name="only_enterprise_users_have_enterprise",
            ),
        ]

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role == Role.SYSADMIN:
            return Q()
        if user.role == Role.SECADMIN and action == VIEW:
            return Q()
        if user.role in COUNTY_WIDE and action == VIEW:
            return Q()
        if user.role == Role.DEPT_ADMIN and action == VIEW:
            return Q(department_id=user.department_id)
        return Q(pk=user.pk) if action == VIEW else NOTHING
