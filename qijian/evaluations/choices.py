from django.db import models


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", "待回访"
    DONE = "done", "已回访"


class FollowUpMethod(models.TextChoices):
    PHONE = "phone", "电话回访"
    VISIT = "visit", "上门回访"
    ONLINE = "online", "线上回访"


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ACTIVE = "active", "启用"
    RETIRED = "retired", "停用"


class QuestionKind(models.TextChoices):
    SATISFACTION = "satisfaction", "五级满意度"
    YES_NO = "yes_no", "是/否"
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    TEXT = "text", "文字"


class ResponseChannel(models.TextChoices):
    LINK = "link", "链接或二维码(企业自填)"
    FOLLOW_UP = "follow_up", "回访时代录"


class ComplaintSource(models.TextChoices):
    HOTLINE = "hotline", "12345热线"
    DIRECT = "direct", "企业家直通车"
    ENTERPRISE = "enterprise", "企业在线提交"
    STAFF = "staff", "工作人员录入"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "待受理"
    HANDLING = "handling", "办理中"
    REPLIED = "replied", "已办结并反馈"
    REJECTED = "rejected", "不予受理"


class ComplaintFeedback(models.TextChoices):
    """How a complaint's outcome went back to the complainant (there is no SMS channel)."""

    APP_AND_MAIL = "app_mail", "站内消息和邮件"
    MAIL = "mail", "邮件"
    PHONE = "phone", "需工作人员电话告知"
