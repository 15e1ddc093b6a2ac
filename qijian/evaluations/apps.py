from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "qijian.evaluations"
    label = "evaluations"
    verbose_name = "回访评价与投诉"

    def ready(self) -> None:
        from qijian.evaluations import hooks

        hooks.connect()
