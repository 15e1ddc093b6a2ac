from django.db import models


class CatalogStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交待审定"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审定"


class InspectionMode(models.TextChoices):
    RANDOM = "random", "双随机"
    TARGETED = "targeted", "非双随机"


class InspectionMethod(models.TextChoices):
    ONSITE = "onsite", "现场"
    REMOTE = "remote", "非现场"
