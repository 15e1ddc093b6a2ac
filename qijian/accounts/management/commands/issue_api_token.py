"""``manage.py issue_api_token USERNAME``: an operator issues (or revokes) a user's API token, audited."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qijian.accounts.api_tokens import TokenRefusedError, issue_token_for_operator, revoke_token_for_operator
from qijian.accounts.models import User


class Command(BaseCommand):
    help = "为用户签发(或吊销)API 令牌;每次操作都写入审计日志,旧令牌随即失效。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名")
        parser.add_argument("--revoke", action="store_true", help="只吊销现有令牌,不签发新令牌")
        parser.add_argument("--operator", default="", help="执行本命令的运维人员姓名(默认取操作系统用户名)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户 {options['username']} 不存在")
        operator = options["operator"] or _os_user()
        if options["revoke"]:
            removed = revoke_token_for_operator(actor=None, user=user, operator=operator)
            self.stdout.write(f"已吊销 {user.username} 的 API 令牌({removed} 个)。")
            return
        try:
            key = issue_token_for_operator(actor=None, user=user, operator=operator)
        except TokenRefusedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已为 {user.username}({user.role_label})签发 API 令牌,旧令牌已失效。请通过安全渠道交付:")
        self.stdout.write(key)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
