"""The item catalog (检查事项清单): per department, versioned, approved by a joint-meeting decision.

A version takes effect on its ``effective_from`` date once approved; the effective catalog of a
department on a day is the approved version with the latest ``effective_from`` on or before it
(``queries.effective_items``). Items keep a stable ``code`` across versions; plan entries and
filings point at the item row of the version they were made under (rule R04).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import Role
from qijian.catalog.choices import CatalogStatus, InspectionMethod, InspectionMode
from qijian.core.models import NOTHING, VIEW, TimeStampedModel
from qijian.org.models import STAFF_ROLES


class CatalogVersion(TimeStampedModel):
    department = models.ForeignKey(
        "org.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="catalog_versions"
    )
    number = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=16, choices=CatalogStatus.choices, default=CatalogStatus.DRAFT)
    effective_from = models.DateField("生效日期", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.ForeignKey(
        "meetings.Decision", verbose_name="审定决定", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    return_comment = models.TextField("退回意见", blank=True)

    class Meta:
        verbose_name = "检查事项清单版本"
        verbose_name_plural = "检查事项清单版本"
        ordering = ["department__code", "-number"]
        constraints = [models.UniqueConstraint(fields=["department", "number"], name="catalog_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.department} 第{self.number}版"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if action == VIEW and user.role in STAFF_ROLES:
            return Q()  # the catalog is public to staff: partners plan joint visits against it
        if user.role == Role.DEPT_ADMIN:
            return Q(department_id=user.department_id)
        if user.role == Role.OFFICE:
            return Q()  # the office approves on the meeting's behalf
        return NOTHING


class CatalogItem(TimeStampedModel):
    version = models.ForeignKey(CatalogVersion, verbose_name="清单版本", on_delete=models.CASCADE, related_name="items")
    code = models.CharField("事项编码", max_length=32)
    name = models.CharField("检查事项", max_length=128)
    law = models.CharField("法律依据", max_length=128)
    article = models.CharField("条款", max_length=64, blank=True)
    standard = models.TextField("检查标准/检查要点", blank=True)
    mode = models.CharField("检查类别", max_length=16, choices=InspectionMode.choices)
    method = models.CharField(
        "检查方式", max_length=16, choices=InspectionMethod.choices, default=InspectionMethod.ONSITE
    )
    joinable = models.BooleanField("可联合检查", default=True)
    industries = models.ManyToManyField(
        "enterprises.Industry",
        verbose_name="适用行业",
        blank=True,
        related_name="+",
        help_text="为空表示适用所有行业;选择门类即适用其下所有大类",
    )
    enterprise_types = models.JSONField("适用市场主体类型", default=list, blank=True, help_text="为空表示适用所有类型")

    class Meta:
        verbose_name = "检查事项"
        verbose_name_plural = "检查事项"
        ordering = ["version", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="catalog_item_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def basis(self) -> str:
        """检查依据 as printed in the tables: the law and its article."""
        return f"{self.law}{self.article}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return Q(version__in=CatalogVersion.objects.filter(CatalogVersion.scope_q(user, action)))
