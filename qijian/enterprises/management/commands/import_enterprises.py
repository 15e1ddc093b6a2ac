from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qijian.core.imports.commands import add_import_arguments, finish, open_input, progress_bar, resolve_actor
from qijian.enterprises.importing import import_enterprises


class Command(BaseCommand):
    help = "从 .xlsx 或 .csv 文件导入企业:逐行校验,有任何错误则全部不写入"

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = resolve_actor(options["user"])
        with open_input(options["file"]) as fh:
            result, table = import_enterprises(
                fh,
                filename=options["file"],
                actor=actor,
                dry_run=options["dry_run"],
                progress=progress_bar(self, not options["no_progress"]),
            )
            finish(self, result, table, options["errors_out"])
