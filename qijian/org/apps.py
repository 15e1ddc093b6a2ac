from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "qijian.org"
    label = "org"
    verbose_name = "组织机构"
