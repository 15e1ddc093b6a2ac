"""manage.py demo_totp USERNAME: the current TOTP code of a demo account (demo and DEBUG only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class Command(BaseCommand):
    help = "显示演示账号当前的 6 位动态验证码(仅在 QJ_DEMO=1 或 QJ_DEBUG=1 时可用)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="演示账号用户名,例如 office")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.QJ_DEMO or settings.DEBUG):
            raise CommandError("此命令仅用于演示环境:请设置 QJ_DEMO=1(生产环境不得使用)。")
        device = TOTPDevice.objects.filter(user__username=options["username"], confirmed=True).first()
        if device is None:
            raise CommandError(f"用户 {options['username']} 不存在或未绑定动态口令设备。")
        self.stdout.write(current_code(device))
