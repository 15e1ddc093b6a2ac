from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "qijian.checkins"
    label = "checkins"
    verbose_name = "入企扫码"
