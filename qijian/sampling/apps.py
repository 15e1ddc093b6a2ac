from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "qijian.sampling"
    label = "sampling"
    verbose_name = "双随机抽取"
