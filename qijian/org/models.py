"""Organisation registry: regions (GB/T 2260), departments, inspectors, declared conflicts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q

from qijian.accounts.choices import COUNTY_WIDE, Role
from qijian.core.models import NOTHING, VIEW, RestrictedManager, TimeStampedModel
from qijian.org.choices import DepartmentLevel, InspectorStatus, PlatformLevel, RegionLevel

# Staff roles that read the registries; discipline reads its referrals only (纪检监察移送).
STAFF_ROLES = frozenset(set(Role) - {Role.ENTERPRISE, Role.SECADMIN, Role.AUDITOR, Role.DISCIPLINE})


class Region(models.Model):
    """An administrative division. Townships use the 9-digit statistical code; others GB/T 2260."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", verbose_name="上级区划", null=True, blank=True, on_delete=models.PROTECT)
    notice_email = models.EmailField(
        "属地政府通知邮箱", blank=True, help_text="乡镇政府或开发区管委会接收上级检查通知的邮箱 (机制八)"
    )

    objects = RestrictedManager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if action == VIEW:
            return Q()
        return Q() if user.role == Role.SYSADMIN else NOTHING


class Department(TimeStampedModel):
    name = models.CharField("部门名称", max_length=64)
    short_name = models.CharField("简称", max_length=32, blank=True)
    code = models.CharField("部门编码", max_length=32, unique=True)
    level = models.CharField("层级", max_length=16, choices=DepartmentLevel.choices, default=DepartmentLevel.COUNTY)
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="departments")
    parent = models.ForeignKey(
        "self", verbose_name="上级对口部门", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    high_frequency = models.BooleanField("入企检查频次较高部门", default=False)
    is_enforcement = models.BooleanField("行政执法部门", default=True)
    contact_name = models.CharField("联系人", max_length=32, blank=True)
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="department_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if action == VIEW:
            return Q() if user.role in STAFF_ROLES else NOTHING
        return Q() if user.role == Role.SYSADMIN else NOTHING


class EnforcementPlatform(TimeStampedModel):
    """附件4: the enforcement platforms each department uses."""

    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.CASCADE, related_name="platforms")
    name = models.CharField("平台名称", max_length=128)
    level = models.CharField("平台层级", max_length=16, choices=PlatformLevel.choices)
    purposes = models.CharField("主要用途", max_length=64, help_text="检查 / 处罚 / 双随机 / 监管")
    checkin_connected = models.BooleanField("是否已对接入企扫码", default=False)
    contact = models.CharField("联系人", max_length=64, blank=True)
    note = models.CharField("备注", max_length=255, blank=True)

    class Meta:
        verbose_name = "行政执法监管平台"
        verbose_name_plural = "行政执法监管平台"
        ordering = ["department__code", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return Department.scope_q(user, action) if action == VIEW else (Q() if user.role == Role.SYSADMIN else NOTHING)


class Inspector(TimeStampedModel):
    name = models.CharField("姓名", max_length=32)
    certificate_no = models.CharField("执法证号", max_length=32, unique=True)
    department = models.ForeignKey(
        Department, verbose_name="所属部门", on_delete=models.PROTECT, related_name="inspectors"
    )
    certificate_valid_from = models.DateField("证件有效期起")
    certificate_valid_until = models.DateField("证件有效期至")
    status = models.CharField("状态", max_length=16, choices=InspectorStatus.choices, default=InspectorStatus.ACTIVE)
    phone = models.CharField("联系电话", max_length=32, blank=True)

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["department__code", "certificate_no"]
        indexes = [models.Index(fields=["department", "status"])]

    def __str__(self) -> str:
        return f"{self.name}({self.certificate_no})"

    def is_certified_on(self, day: dt.date) -> bool:
        return (
            self.status == InspectorStatus.ACTIVE and self.certificate_valid_from <= day <= self.certificate_valid_until
        )

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if action == VIEW and user.role in COUNTY_WIDE:
            return Q()
        if user.role == Role.SYSADMIN:
            return Q()
        if user.role == Role.DEPT_ADMIN:
            return Q(department_id=user.department_id)
        if user.role == Role.INSPECTOR and action == VIEW:
            return Q(department_id=user.department_id)
        return NOTHING


class Conflict(TimeStampedModel):
    """A declared conflict of interest (回避): the inspector must not inspect this enterprise."""

    inspector = models.ForeignKey(
        Inspector, verbose_name="执法人员", on_delete=models.CASCADE, related_name="conflicts"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="conflicts"
    )
    reason = models.CharField("回避事由", max_length=255)
    declared_on = models.DateField("申报日期")

    class Meta:
        verbose_name = "利益冲突申报"
        verbose_name_plural = "利益冲突申报"
        constraints = [models.UniqueConstraint(fields=["inspector", "enterprise"], name="conflict_unique_pair")]

    def __str__(self) -> str:
        return f"{self.inspector} ↔ {self.enterprise}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return Q(inspector__in=Inspector.objects.filter(Inspector.scope_q(user, action)))
