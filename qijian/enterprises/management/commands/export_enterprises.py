from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qijian.core.imports.commands import resolve_actor
from qijian.enterprises.importing import export_enterprises
from qijian.enterprises.models import Enterprise


class Command(BaseCommand):
    help = "把企业名录导出为 .xlsx 或 .csv(按扩展名),已防范电子表格公式注入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="输出文件,扩展名 .xlsx 或 .csv")
        parser.add_argument("--user", metavar="USERNAME", help="只导出此用户有权查看的企业(默认:全部)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = resolve_actor(options["user"])
        queryset = Enterprise.objects.all() if actor is None else Enterprise.objects.restrict(actor, "view")
        count = export_enterprises(queryset, options["file"])
        self.stdout.write(self.style.SUCCESS(f"已导出{count}家企业到 {options['file']}"))
