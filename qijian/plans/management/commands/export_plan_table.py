from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qijian.plans.models import Plan
from qijian.plans.tables.export import FORMATS, export_table
from qijian.plans.tables.layouts import LAYOUTS


class Command(BaseCommand):
    help = "把一份检查计划导出为附件2-1、2-2 或附件5 表格(.xlsx 或 PDF,A4 横向,可直接打印)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_id", type=int, help="检查计划的编号(id)")
        parser.add_argument(
            "--table", choices=sorted(LAYOUTS), default="2-1", help="2-1 工作计划表、2-2 完成情况表、5 多层级计划表"
        )
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="xlsx")
        parser.add_argument("--output", help="输出文件(默认:当前目录下按表名命名)")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.select_related("department").filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(f"检查计划 {options['plan_id']} 不存在")
        exported = export_table(plan, options["table"], options["fmt"])
        target = Path(options["output"] or exported.filename)
        target.write_bytes(exported.content)
        self.stdout.write(self.style.SUCCESS(f"已导出 {plan} 的{LAYOUTS[options['table']].label}到 {target}"))
