from django.db import models


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "待各部门确认"
    ACCEPTED = "accepted", "各部门已同意,待报备"
    DECLINED = "declined", "已有部门拒绝"
    FILED = "filed", "已联合报备"
    SUPERSEDED = "superseded", "已被新一轮规划取代"


class Answer(models.TextChoices):
    PENDING = "pending", "待确认"
    ACCEPT = "accept", "同意"
    DECLINE = "decline", "拒绝"


class TaskSource(models.TextChoices):
    PLAN_ENTRY = "plan_entry", "季度检查计划条目"
    DRAW_RESULT = "draw_result", "双随机抽取结果"
    SUPERIOR_FILING = "superior_filing", "上级部门检查(已备案)"
