"""``manage.py purge_audit --before DATE``: remove events older than the retention period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qijian.audit.purge import PurgeRefusedError, purge_events, retention_days


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"日期 {raw!r} 无效,请用 YYYY-MM-DD 格式") from exc


class Command(BaseCommand):
    help = "清除早于指定日期、且已超过保留期(至少 183 天)的审计事件;清除前写入签名锚点"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", required=True, help="清除此日期(本地时区零点)之前的事件, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = purge_events(actor=None, before=_date(options["before"]))
        except PurgeRefusedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已清除 {result.deleted} 条审计事件(至序号 {result.anchor.up_to_seq}),"
                f"保留期 {retention_days()} 天;签名锚点已写入,剩余链仍可校验。"
            )
        )
