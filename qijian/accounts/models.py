"""Users: each holds exactly one role and belongs to one department or one enterprise."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import ADMIN_DUTIES, Role
from qijian.core.models import NOTHING, VIEW, RestrictedQuerySet

_ADMIN_DUTY = Q(role__in=sorted(ADMIN_DUTIES))


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
    person_id = models.CharField(
        "人员身份标识",
        max_length=64,
        blank=True,
        db_index=True,
        help_text="身份证号或工号的 HMAC-SM3 摘要(不保存原号码);三员账号必填",
    )

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
            models.CheckConstraint(condition=~_ADMIN_DUTY | ~Q(person_id=""), name="admin_duty_has_person_id"),
            # 三员分立: one person holds at most one active admin-duty account.
            models.UniqueConstraint(
                fields=["person_id"], condition=_ADMIN_DUTY & Q(is_active=True), name="one_admin_duty_per_person"
            ),
        ]

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles

    @property
    def is_admin_duty(self) -> bool:
        return self.role in ADMIN_DUTIES

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        """sysadmin manages every account; secadmin views them (unlock, 2FA) but changes none through
        this scope; dept_admin views its own department's users; everyone else only themselves.
        The auditor reads the audit log, not the user list."""
        if user.role == Role.SYSADMIN:
            return Q()
        if action != VIEW:
            return NOTHING
        if user.role == Role.SECADMIN:
            return Q()
        if user.role == Role.DEPT_ADMIN and user.department_id:
            return Q(department_id=user.department_id)
        return Q(pk=user.pk)
