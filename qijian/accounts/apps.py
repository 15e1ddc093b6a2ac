from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qijian.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from qijian.accounts import signals  # noqa: F401  (connects the sign-in audit receivers)
