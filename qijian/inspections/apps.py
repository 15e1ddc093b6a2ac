from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "qijian.inspections"
    label = "inspections"
    verbose_name = "检查报备"
