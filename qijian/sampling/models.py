"""Random draws (双随机): a draw hangs on one or more random plan entries of approved plans.

Life: prepared (pool snapshot fixed and hashed) → committed (the SM3 hash of a secret seed published)
→ drawn (seed revealed to the record; results stored) → published (results on the public page /draws/).
The seed stays out of every page and API answer until the draw is made (docs/sampling.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import OVERSEERS, Role
from qijian.core.models import NOTHING, VIEW, TimeStampedModel
from qijian.sampling.choices import DrawStatus

_USER = settings.AUTH_USER_MODEL


class Draw(TimeStampedModel):
    title = models.CharField("抽取名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    entries = models.ManyToManyField("plans.PlanEntry", verbose_name="计划条目", related_name="draws")
    departments = models.ManyToManyField("org.Department", verbose_name="参与部门", related_name="draws")
    townships = models.ManyToManyField("org.Region", verbose_name="抽取范围(乡镇)", blank=True, related_name="+")
    industry_prefix = models.CharField("行业(一业一查)", max_length=5, blank=True)
    count = models.PositiveIntegerField("抽取户数", null=True, blank=True)
    base_ratio = models.DecimalField("基准抽查比例", max_digits=7, decimal_places=6, null=True, blank=True)
    window_start = models.DateField("检查时间(起)")
    window_end = models.DateField("检查时间(止)")
    status = models.CharField("状态", max_length=16, choices=DrawStatus.choices, default=DrawStatus.PREPARED)
    pool_size = models.PositiveIntegerField("抽取池企业数")
    pool_counts = models.JSONField("各类企业数", default=dict)
    pool_hash = models.CharField("抽取池快照哈希(SM3)", max_length=64)
    algorithm_version = models.CharField("算法版本", max_length=32)
    seed_hash = models.CharField("随机种子哈希(SM3)", max_length=64, blank=True)
    seed = models.CharField("随机种子", max_length=128, blank=True, help_text="抽取后方可公开")
    quotas = models.JSONField("各类抽取户数", default=dict)
    result_hash = models.CharField("抽取结果哈希(SM3)", max_length=64, blank=True)
    prepared_by = models.ForeignKey(_USER, verbose_name="准备人", on_delete=models.PROTECT, related_name="+")
    committed_at = models.DateTimeField("种子哈希公布时间", null=True, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("结果公布时间", null=True, blank=True)

    class Meta:
        verbose_name = "双随机抽取"
        verbose_name_plural = "双随机抽取"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def seed_public(self) -> str:
        """The seed, once drawn; empty before (it must stay secret until the draw)."""
        return self.seed if self.status in (DrawStatus.DRAWN, DrawStatus.PUBLISHED) else ""

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role == Role.RANDOM_COORDINATOR or (action == VIEW and user.role in OVERSEERS):
            return Q()
        if action == VIEW and user.role in (Role.DEPT_ADMIN, Role.INSPECTOR) and user.department_id:
            joined = cls.departments.through.objects.filter(department_id=user.department_id)
            return Q(pk__in=joined.values("draw_id"))
        return NOTHING


class DrawSnapshot(models.Model):
    """The draw's inputs, compressed (snapshot.py): replay never depends on today's registry."""

    draw = models.OneToOneField(Draw, on_delete=models.CASCADE, related_name="snapshot")
    data = models.BinaryField("快照(压缩)")

    class Meta:
        verbose_name = "抽取池快照"
        verbose_name_plural = "抽取池快照"

    def __str__(self) -> str:
        return f"{self.draw} 快照"


class DrawResult(models.Model):
    draw = models.ForeignKey(
        Draw,
        verbose_name="抽取",
        on_delete=models.CASCADE,
        related_name="results",
        db_constraint=False,
        db_index=False,  # the (draw, position) constraint serves it
    )
    position = models.PositiveIntegerField("序号")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="draw_results",
        db_constraint=False,
        db_index=False,  # the (enterprise, draw) constraint serves it
    )
    grade = models.CharField("抽取时分级", max_length=1)
    visit_on = models.DateField("检查日期")
    team: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "org.Inspector", through="TeamMember", verbose_name="检查组", related_name="+"
    )

    class Meta:
        verbose_name = "抽取结果"
        verbose_name_plural = "抽取结果"
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "position"], name="draw_result_unique_position"),
            models.UniqueConstraint(fields=["enterprise", "draw"], name="draw_result_unique_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.draw} #{self.position}"


class TeamMember(models.Model):
    # Indexed through the two constraints below (result, seat) and (inspector, visit_on).
    result = models.ForeignKey(
        DrawResult, on_delete=models.CASCADE, related_name="members", db_constraint=False, db_index=False
    )
    inspector = models.ForeignKey(
        "org.Inspector", on_delete=models.PROTECT, related_name="draw_seats", db_constraint=False, db_index=False
    )
    seat = models.PositiveSmallIntegerField("席位")
    visit_on = models.DateField("检查日期")

    class Meta:
        verbose_name = "检查组成员"
        verbose_name_plural = "检查组成员"
        ordering = ["result", "seat"]
        constraints = [
            models.UniqueConstraint(fields=["result", "seat"], name="team_member_unique_seat"),
            # Nobody in two teams on one day, across every draw (the slot is the working day).
            models.UniqueConstraint(fields=["inspector", "visit_on"], name="team_member_one_team_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.result} {self.inspector_id}"
