from django.db import models


class DrawStatus(models.TextChoices):
    PREPARED = "prepared", "已准备(抽取池已固定)"
    COMMITTED = "committed", "已公布种子哈希"
    DRAWN = "drawn", "已抽取"
    PUBLISHED = "published", "已公布结果"
