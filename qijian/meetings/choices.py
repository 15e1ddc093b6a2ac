from django.db import models


class MeetingKind(models.TextChoices):
    QUARTERLY = "quarterly", "季度分析总结会"
    AD_HOC = "ad_hoc", "临时会议"


class DecisionSubject(models.TextChoices):
    CATALOG = "catalog", "检查事项清单"
    PLAN = "plan", "检查计划"
    ANNUAL_RANDOM_PLAN = "annual_random_plan", "年度双随机检查计划"
    GRADING = "grading", "分级分类监管清单"
    OTHER = "other", "其他事项"
