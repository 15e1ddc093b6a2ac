"""manage.py load_demo: build the demo county (idempotent, deterministic)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qijian.accounts.choices import Role
from qijian.core.demo import DEMO_PASSWORD, ENTERPRISE_COUNT, DemoSummary, build_demo, demo_accounts


class Command(BaseCommand):
    help = "构建沧县演示数据(乡镇、部门、企业、执法人员、各角色演示账号)。重复执行不会产生重复数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enterprises", type=int, default=ENTERPRISE_COUNT, help="演示企业数量(默认 5000)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.QJ_DEMO or settings.DEBUG):
            raise CommandError("演示数据含公开的密码和动态口令密钥,只能载入演示环境:请设置 QJ_DEMO=1。")
        started = time.monotonic()
        summary = build_demo(enterprises=max(options["enterprises"], 10))
        self.report(summary, time.monotonic() - started)

    def report(self, s: DemoSummary, seconds: float) -> None:
        lines = [
            f"沧县演示数据已就绪(用时 {seconds:.1f} 秒):",
            f"  乡镇/开发区 {s.townships} 个;部门 {s.departments} 个(其中县级 {s.county_departments} 个),"
            f"执法监管平台 {s.platforms} 条",
            f"  企业 {s.enterprises} 家(本次新增 {s.created_enterprises},早期试点代码 {s.pilot_codes} 个)",
            f"  执法人员 {s.inspectors} 名(本次新增 {s.created_inspectors});利益冲突申报 {s.conflicts} 条",
            f"  演示账号 {s.users} 个,密码均为 {DEMO_PASSWORD}:",
        ]
        for username, role, secret in demo_accounts():
            lines.append(f"    {username:<12} {Role(role).label}" + (f"  动态口令密钥 {secret}" if secret else ""))
        lines.append("  需要双因素认证的账号可用 manage.py demo_totp 用户名 查看当前动态验证码。")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
