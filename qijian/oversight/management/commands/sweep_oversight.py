"""``manage.py sweep_oversight [--today YYYY-MM-DD]``: run the deadline sweeps once and print what they raised."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qijian.core.calendar import local_today
from qijian.oversight.sweeps import run_sweeps


class Command(BaseCommand):
    help = "运行 R08/R11 截止期限巡检与报送提醒(可重复运行,不会重复预警或提醒)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", default="", help="按该日期巡检(YYYY-MM-DD),默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = self._day(options["today"])
        result = run_sweeps(today)
        for line in result.lines():
            self.stdout.write(line)
        summary = f"{today:%Y-%m-%d} 巡检完成:新预警 {len(result.alerts)} 条,新提醒 {len(result.reminders)} 条。"
        self.stdout.write(self.style.SUCCESS(summary))

    def _day(self, raw: str) -> dt.date:
        if not raw:
            return local_today()
        try:
            return dt.date.fromisoformat(raw)
        except ValueError as exc:
            raise CommandError(f"日期格式不正确:{raw!r}(应为 YYYY-MM-DD)") from exc
