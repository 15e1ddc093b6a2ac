"""Check-ins (入企扫码): every entry into an enterprise leaves a row, filed or not (R01).

A check-in is keyed by the phone's idempotency key: a check-in queued offline and sent twice (or
by two racing requests) is stored once. ``filing`` is the ACTIVE filing of the inspector's department
(or a partner) that covers the enterprise at the scan time; None means an unfiled entry, which is
still stored and raises a critical R01 alert.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import OVERSEERS, Role
from qijian.catalog.choices import InspectionMethod
from qijian.checkins.choices import CheckInResult, CheckInSource, CheckInStatus
from qijian.core.models import NOTHING, VIEW, TimeStampedModel

_USER = settings.AUTH_USER_MODEL


class CheckIn(TimeStampedModel):
    idempotency_key = models.CharField("幂等键", max_length=64, unique=True)
    # No index of their own: the (…, -scanned_at) indexes of Meta lead with them (one index fewer to
    # update on every check-in).
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="checkins", db_index=False
    )
    filing = models.ForeignKey(
        "inspections.Filing",
        verbose_name="对应报备",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checkins",
        db_index=False,
    )
    inspector = models.ForeignKey(
        "org.Inspector", verbose_name="扫码执法人员", on_delete=models.PROTECT, related_name="checkins", db_index=False
    )
    companions = models.ManyToManyField(
        "org.Inspector", verbose_name="同行执法人员", blank=True, related_name="companion_checkins"
    )
    recorded_by = models.ForeignKey(_USER, verbose_name="提交账号", on_delete=models.PROTECT, related_name="+")
    scanned_at = models.DateTimeField("扫码时间(服务器)")
    client_time = models.DateTimeField("手机记录时间", null=True, blank=True, help_text="离线补传时手机记录的时间")
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField("定位精度(米)", null=True, blank=True)
    source = models.CharField("来源", max_length=16, choices=CheckInSource.choices, default=CheckInSource.ONLINE)
    unfiled = models.BooleanField("未报备入企", default=False)
    status = models.CharField("状态", max_length=16, choices=CheckInStatus.choices, default=CheckInStatus.CHECKED_IN)
    method = models.CharField(
        "检查方式", max_length=16, choices=InspectionMethod.choices, default=InspectionMethod.ONSITE
    )
    checked_out_at = models.DateTimeField("离开时间", null=True, blank=True)
    result = models.CharField("检查结果", max_length=16, choices=CheckInResult.choices, blank=True)
    rectification_deadline = models.DateField("整改期限", null=True, blank=True)
    result_note = models.TextField("结果说明", blank=True)

    class Meta:
        verbose_name = "入企扫码记录"
        verbose_name_plural = "入企扫码记录"
        ordering = ["-scanned_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "-scanned_at"]),
            models.Index(fields=["filing", "-scanned_at"]),
            models.Index(fields=["inspector", "-scanned_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.scanned_at:%Y-%m-%d %H:%M}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role in OVERSEERS and (action == VIEW or user.role == Role.OFFICE):
            return Q()
        if user.role == Role.DEPT_ADMIN and action == VIEW:
            return Q(inspector__department_id=user.department_id)
        if user.role == Role.INSPECTOR and user.inspector_id:
            return Q(inspector_id=user.inspector_id)
        if user.role == Role.ENTERPRISE and action == VIEW and user.enterprise_id:
            return Q(enterprise_id=user.enterprise_id)
        return NOTHING


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"checkins/{instance.checkin_id}/{filename}"


class Attachment(TimeStampedModel):
    """A photo or file recorded with a check-in's result (size and type limits in services)."""

    checkin = models.ForeignKey(CheckIn, verbose_name="扫码记录", on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path)
    name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(_USER, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "检查附件"
        verbose_name_plural = "检查附件"
        ordering = ["checkin", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return Q(checkin__in=CheckIn.objects.filter(CheckIn.scope_q(user, action)))
