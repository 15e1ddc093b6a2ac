from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "qijian.grading"
    label = "grading"
    verbose_name = "企业分级分类"
