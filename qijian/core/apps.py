from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qijian.core"
    label = "core"
    verbose_name = "基础"
