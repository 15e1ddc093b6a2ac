from django.db import models


class RuleId(models.TextChoices):
    R01 = "R01", "R01 未报备入企"
    R02 = "R02", "R02 事后报备"
    R03 = "R03", "R03 现场检查执法人员不足两人"
    R04 = "R04", "R04 检查事项不在清单内"
    R05 = "R05", "R05 超过年度检查频次上限"
    R06 = "R06", "R06 60日内重复检查"
    R07 = "R07", "R07 无法定事由现场检查A类企业"
    R08 = "R08", "R08 上级检查未备案或多次验收"
    R09 = "R09", "R09 多层级分头检查未备案"
    R10 = "R10", "R10 回访逾期"
    R11 = "R11", "R11 计划或工作情况逾期未报送"


class Severity(models.TextChoices):
    CRITICAL = "critical", "严重"
    BLOCK = "block", "阻断"
    WARNING = "warning", "警示"
    OVERDUE = "overdue", "逾期"


class AlertStatus(models.TextChoices):
    OPEN = "open", "待处理"
    ACKNOWLEDGED = "acknowledged", "已确认"
    RESOLVED = "resolved", "已办结"


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", "待审批"
    APPROVED = "approved", "已批准移送"
    REJECTED = "rejected", "不予移送"
