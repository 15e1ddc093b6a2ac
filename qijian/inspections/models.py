"""Filings (报备): no inspection without one ("不报备不检查").

A filing is made by the server's clock (``filed_at``) and never back-dated (R02). A planned filing
comes from an approved plan entry; an urgent one names its reason and starts at the moment it is
filed. An amendment is a new filing that ``supersedes`` the original, which stays as it was with
status AMENDED; a cancellation keeps the row with status CANCELLED. Multi-level (mechanism 8): a
superior department's inspection is filed by its county counterpart (``department``) with
``superior_department`` set; an acceptance visit after it points at it through ``acceptance_of``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import OVERSEERS, Role
from qijian.catalog.choices import InspectionMethod
from qijian.core.models import NOTHING, VIEW, TimeStampedModel
from qijian.inspections.choices import FilingKind, FilingStatus, UrgentReason

_USER = settings.AUTH_USER_MODEL


class Filing(TimeStampedModel):
    number = models.CharField("报备编号", max_length=32, unique=True)
    department = models.ForeignKey(
        "org.Department", verbose_name="报备部门", on_delete=models.PROTECT, related_name="filings"
    )
    kind = models.CharField("报备类型", max_length=16, choices=FilingKind.choices)
    status = models.CharField("状态", max_length=16, choices=FilingStatus.choices, default=FilingStatus.ACTIVE)
    plan_entry = models.ForeignKey(
        "plans.PlanEntry",
        verbose_name="计划条目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filings",
    )
    item = models.ForeignKey(
        "catalog.CatalogItem", verbose_name="检查事项", on_delete=models.PROTECT, related_name="filings"
    )
    urgent_reason = models.CharField("紧急检查事由", max_length=24, choices=UrgentReason.choices, blank=True)
    reason_detail = models.TextField("事由说明", blank=True)
    method = models.CharField(
        "检查方式", max_length=16, choices=InspectionMethod.choices, default=InspectionMethod.ONSITE
    )
    enterprises = models.ManyToManyField("enterprises.Enterprise", verbose_name="检查对象", related_name="filings")
    inspectors = models.ManyToManyField("org.Inspector", verbose_name="执法人员", related_name="filings")
    window_start = models.DateTimeField("检查开始时间")
    window_end = models.DateTimeField("检查结束时间")
    filed_at = models.DateTimeField("报备时间")
    filed_by = models.ForeignKey(_USER, verbose_name="报备人", on_delete=models.PROTECT, related_name="+")
    joint = models.BooleanField("联合检查", default=False)
    partners = models.ManyToManyField("org.Department", verbose_name="联合部门", blank=True, related_name="+")
    supersedes = models.OneToOneField(
        "self", verbose_name="变更前报备", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    cancelled_at = models.DateTimeField("撤销时间", null=True, blank=True)
    cancelled_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cancel_reason = models.CharField("撤销原因", max_length=255, blank=True)
    superior_department = models.ForeignKey(
        "org.Department", verbose_name="上级实施部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acceptance_of = models.ForeignKey(
        "self",
        verbose_name="验收勘察所对应的上级检查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acceptance_visits",
    )
    township_notified_at = models.DateTimeField("属地政府通知时间", null=True, blank=True)
    office_notified_at = models.DateTimeField("办公室邮件送达时间", null=True, blank=True)
    # The office's receipt: set when an office user first opens the filing ("new" until then).
    office_read_at = models.DateTimeField("办公室查阅时间", null=True, blank=True)
    office_read_by = models.ForeignKey(
        _USER, verbose_name="办公室查阅人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "检查报备"
        verbose_name_plural = "检查报备"
        ordering = ["-filed_at", "-id"]
        indexes = [
            models.Index(fields=["department", "-filed_at"]),
            models.Index(fields=["status", "window_start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(window_end__gt=models.F("window_start")), name="filing_window_order"),
            models.CheckConstraint(
                condition=Q(kind=FilingKind.PLANNED, urgent_reason="")
                | Q(kind=FilingKind.URGENT) & ~Q(urgent_reason=""),
                name="filing_urgent_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item.name}" if self.item_id else self.number

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role in OVERSEERS and (action == VIEW or user.role == Role.OFFICE):
            return Q()
        if user.role == Role.DEPT_ADMIN:
            return Q(department_id=user.department_id)
        if action != VIEW:
            return NOTHING
        if user.role == Role.INSPECTOR and user.inspector_id:
            by_inspector = cls.inspectors.through.objects.filter(inspector_id=user.inspector_id)
            return Q(pk__in=by_inspector.values("filing_id"))
        if user.role == Role.ENTERPRISE and user.enterprise_id:
            by_enterprise = cls.enterprises.through.objects.filter(enterprise_id=user.enterprise_id)
            return Q(pk__in=by_enterprise.values("filing_id"))
        return NOTHING
