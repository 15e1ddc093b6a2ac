from django.db import models


class FilingKind(models.TextChoices):
    PLANNED = "planned", "计划内报备"
    URGENT = "urgent", "紧急报备"


class UrgentReason(models.TextChoices):
    EMERGENCY = "emergency", "突发性紧急事件"
    SUPERIOR_ORDER = "superior_order", "上级安排突击性检查"
    COMPLAINT = "complaint", "投诉举报"
    MEDIA = "media", "媒体曝光"
    STATUTORY = "statutory", "法律法规规定的其他情形"


class FilingStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    AMENDED = "amended", "已变更(被新版本取代)"
    CANCELLED = "cancelled", "已撤销"
