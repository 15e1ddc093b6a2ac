from django.db import models


class CheckpointKind(models.TextChoices):
    PERIODIC = "periodic", "定时"
    MANUAL = "manual", "手动"
    PURGE = "purge", "清除锚点"


class RunStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    PASSED = "passed", "完整"
    BROKEN = "broken", "发现断裂"
    FAILED = "failed", "运行出错"
