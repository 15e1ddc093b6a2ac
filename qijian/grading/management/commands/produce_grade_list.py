"""``manage.py produce_grade_list --user office [--year YYYY]``: compute the draft grade list (default: next year)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qijian.core import calendar
from qijian.core.imports.commands import resolve_actor
from qijian.grading import services


class Command(BaseCommand):
    help = "编制(或重新计算)企业分级分类监管清单草案,默认为下一年度;须以联席会议办公室账号执行"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="适用年度(默认:下一年度)")
        parser.add_argument("--user", required=True, metavar="USERNAME", help="联席会议办公室账号")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"] or calendar.local_today().year + 1
        try:
            grade_list = services.produce_draft_list(actor=resolve_actor(options["user"]), year=year)
        except services.GradingError as exc:
            raise CommandError(str(exc)) from exc
        counts = services.list_counts(grade_list)
        summary = ",".join(f"{g}类{n}户" for g, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"已编制{grade_list}草案:{summary}。"))
