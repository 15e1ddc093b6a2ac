from django.db import models


class PlanKind(models.TextChoices):
    QUARTERLY = "quarterly", "季度检查计划"
    ANNUAL_RANDOM = "annual_random", "年度双随机检查计划"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送待审核"
    REVIEWED = "reviewed", "审核通过待审定"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审定"


class ReviewStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", "无需审核"
    PENDING = "pending", "待审核"
    PASSED = "passed", "审核通过"
    RETURNED = "returned", "退回"


class Completion(models.TextChoices):
    DONE = "done", "已完成"
    PARTLY = "partly", "部分完成"
    NOT_DONE = "not_done", "未完成"


class InspectionLevel(models.TextChoices):
    """检查层级 of 附件5."""

    NATIONAL = "national", "国家"
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"
    TOWNSHIP = "township", "乡镇"
