from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "qijian.grading"
    label = "grading"
    verbose_name = "企业分级分类"

    def ready(self) -> None:
        from qijian.grading import sources  # noqa: F401  (registers the built-in indicator sources)
