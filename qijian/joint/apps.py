from django.apps import AppConfig


class JointConfig(AppConfig):
    name = "qijian.joint"
    label = "joint"
    verbose_name = "综合查一次"
