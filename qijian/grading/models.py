"""Grading (分级分类, mechanism 7): imported indicator values, the yearly grade list and its entries.

Grades are internal (不对外公开): lists and entries are read by the overseers and department admins only;
enterprises, inspectors and the admin duties see none of it (docs/grading.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import OVERSEERS, Role
from qijian.core.models import NOTHING, VIEW, TimeStampedModel
from qijian.enterprises.choices import Grade
from qijian.grading.choices import CreditRating, ListStatus, TaxRating

_USER = settings.AUTH_USER_MODEL
GRADE_READERS = frozenset({*OVERSEERS, Role.DEPT_ADMIN})


def _grading_scope(user: Any, action: str) -> Q:
    if user.role == Role.OFFICE:
        return Q()
    return Q() if action == VIEW and user.role in GRADE_READERS else NOTHING


class IndicatorValue(TimeStampedModel):
    """Indicator values of one enterprise for one year, imported from other agencies' data."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="indicator_values"
    )
    year = models.PositiveSmallIntegerField("数据年度")
    credit_rating = models.CharField("公共信用综合评价等级", max_length=1, choices=CreditRating.choices, blank=True)
    tax_rating = models.CharField("纳税信用等级", max_length=1, choices=TaxRating.choices, blank=True)
    high_tech = models.BooleanField("高新技术企业", null=True, blank=True)
    employees = models.PositiveIntegerField("从业人数", null=True, blank=True)
    tax_paid = models.DecimalField("年纳税额(万元)", max_digits=14, decimal_places=2, null=True, blank=True)
    safety_incidents = models.PositiveIntegerField("安全生产事故起数", null=True, blank=True)
    source = models.CharField("来源文件", max_length=255, blank=True)

    class Meta:
        verbose_name = "分级分类指标数据"
        verbose_name_plural = "分级分类指标数据"
        ordering = ["enterprise", "-year"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="grading_value_enterprise_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return _grading_scope(user, action)


class GradeList(TimeStampedModel):
    """The grade list (企业分级分类监管清单) of one year: drafted in December, approved, in force from 1 January."""

    year = models.PositiveSmallIntegerField("适用年度", unique=True)
    status = models.CharField("状态", max_length=16, choices=ListStatus.choices, default=ListStatus.DRAFT)
    effective_on = models.DateField("生效日期")
    policy_version = models.CharField("政策版本", max_length=32)
    produced_by = models.ForeignKey(_USER, verbose_name="编制人", null=True, on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField("编制时间")
    decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name="会议决定",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grade_lists",
    )
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    applied_at = models.DateTimeField("生效执行时间", null=True, blank=True)

    class Meta:
        verbose_name = "企业分级分类监管清单"
        verbose_name_plural = "企业分级分类监管清单"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度企业分级分类监管清单"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return _grading_scope(user, action)


class GradeEntry(TimeStampedModel):
    """One enterprise's grade in a list: the computed grade, its explanation, and any manual override."""

    grade_list = models.ForeignKey(GradeList, verbose_name="清单", on_delete=models.CASCADE, related_name="entries")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="grade_entries"
    )
    score = models.DecimalField("综合得分", max_digits=5, decimal_places=2)
    computed_grade = models.CharField("评分等级", max_length=1, choices=Grade.choices)
    grade = models.CharField("确定等级", max_length=1, choices=Grade.choices)
    previous_grade = models.CharField("编制时等级", max_length=1, choices=Grade.choices)
    # C类 entries: 重点监管对象, directed plus random sampling (kept in step with ``grade``).
    focus = models.BooleanField("重点监管", default=False)
    explanation = models.JSONField("评分说明", default=dict)
    override_reason = models.TextField("人工调整理由", blank=True)
    overridden_by = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    overridden_at = models.DateTimeField("人工调整时间", null=True, blank=True)

    class Meta:
        verbose_name = "企业分级分类结果"
        verbose_name_plural = "企业分级分类结果"
        ordering = ["grade_list", "enterprise_id"]
        constraints = [models.UniqueConstraint(fields=["grade_list", "enterprise"], name="grading_entry_unique")]
        indexes = [
            models.Index(fields=["grade_list", "grade", "enterprise"]),
            models.Index(fields=["enterprise", "grade_list"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.grade}"

    @property
    def overridden(self) -> bool:
        return self.grade != self.computed_grade

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        return _grading_scope(user, action)
