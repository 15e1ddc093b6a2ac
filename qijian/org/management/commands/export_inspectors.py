from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qijian.core.imports.commands import resolve_actor
from qijian.org.importing import export_inspectors
from qijian.org.models import Inspector


class Command(BaseCommand):
    help = "把执法人员名册导出为 .xlsx 或 .csv(按扩展名),已防范电子表格公式注入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="输出文件,扩展名 .xlsx 或 .csv")
        parser.add_argument("--user", metavar="USERNAME", help="只导出此用户有权查看的执法人员(默认:全部)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = resolve_actor(options["user"])
        queryset = Inspector.objects.all() if actor is None else Inspector.objects.restrict(actor, "view")
        count = export_inspectors(queryset, options["file"])
        self.stdout.write(self.style.SUCCESS(f"已导出{count}名执法人员到 {options['file']}"))
