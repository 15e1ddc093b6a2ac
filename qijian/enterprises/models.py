"""Enterprise registry: market subjects with their credit code, industry, township and grade."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from qijian.accounts.choices import Role
from qijian.core.models import NOTHING, VIEW, RestrictedManager, TimeStampedModel
from qijian.enterprises.choices import EnterpriseStatus, EnterpriseType, Grade, UsccStatus

# Roles that read the county's whole enterprise registry (not discipline: it reads its referrals only).
REGISTRY_READERS = frozenset(
    {
        Role.OFFICE,
        Role.SUPERVISOR,
        Role.RANDOM_COORDINATOR,
        Role.DEPT_ADMIN,
        Role.INSPECTOR,
        Role.SYSADMIN,
    }
)


class Industry(models.Model):
    """GB/T 4754-2017: section (letter), division (2 digits), group (3), class (4)."""

    code = models.CharField("行业代码", max_length=5, unique=True)
    name = models.CharField("行业名称", max_length=128)
    parent = models.ForeignKey("self", verbose_name="上级门类", null=True, blank=True, on_delete=models.PROTECT)

    objects = RestrictedManager()

    class Meta:
        verbose_name = "国民经济行业"
        verbose_name_plural = "国民经济行业"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if action == VIEW:
            return Q()
        return Q() if user.role == Role.SYSADMIN else NOTHING


class Enterprise(TimeStampedModel):
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    uscc_status = models.CharField("代码校验状态", max_length=8, choices=UsccStatus.choices, default=UsccStatus.VALID)
    # Searched through the trigram index (migration 0003) on PostgreSQL; no B-tree needed.
    name = models.CharField("企业名称", max_length=128)
    type = models.CharField("市场主体类型", max_length=16, choices=EnterpriseType.choices)
    # The (industry, id) and (township, id) indexes below serve the foreign keys too.
    industry = models.ForeignKey(
        Industry, verbose_name="行业", on_delete=models.PROTECT, related_name="enterprises", db_index=False
    )
    township = models.ForeignKey(
        "org.Region",
        verbose_name="所在乡镇/开发区",
        on_delete=models.PROTECT,
        related_name="enterprises",
        db_index=False,
    )
    address = models.CharField("住所", max_length=255)
    legal_representative = models.CharField("法定代表人/负责人", max_length=64)
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)
    status = models.CharField(
        "经营状态", max_length=16, choices=EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING
    )
    grade = models.CharField("分级分类", max_length=1, choices=Grade.choices, default=Grade.B)
    established_on = models.DateField("成立日期", null=True, blank=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["township", "id"]),
            models.Index(fields=["industry", "id"]),
            models.Index(fields=["grade", "id"]),
            # List filters (docs/pages.md): each filter of the list page seeks an (x, id) index.
            models.Index(fields=["type", "id"], name="enterprise_type_id_idx"),
            # Rare values only: a filter on the common value walks the primary key instead,
            # and a bulk import has two fewer full indexes to rebuild.
            models.Index(
                fields=["status", "id"], name="enterprise_not_operating_idx", condition=~Q(status="operating")
            ),
            models.Index(fields=["id"], name="enterprise_pilot_code_idx", condition=Q(uscc_status="pilot")),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if action == VIEW and user.role in REGISTRY_READERS:
            return Q()
        if action == VIEW and user.role == Role.ENTERPRISE:
            return Q(pk=user.enterprise_id)
        return Q() if user.role == Role.SYSADMIN else NOTHING
