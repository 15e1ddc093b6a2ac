from django.db import models


class CheckInStatus(models.TextChoices):
    CHECKED_IN = "checked_in", "检查中"
    CHECKED_OUT = "checked_out", "已离开"


class CheckInResult(models.TextChoices):
    NO_PROBLEM = "no_problem", "未发现问题"
    PROBLEMS = "problems", "发现问题,限期整改"
    CASE_OPENED = "case_opened", "立案查处"


class CheckInSource(models.TextChoices):
    ONLINE = "online", "在线扫码"
    OFFLINE = "offline", "离线补传"
    TYPED = "typed", "手工输入企业码"
