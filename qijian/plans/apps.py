from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "qijian.plans"
    label = "plans"
    verbose_name = "检查计划"
