from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qijian.core.imports.commands import add_import_arguments, finish, open_input, progress_bar, resolve_actor
from qijian.org.importing import import_inspectors


class Command(BaseCommand):
    help = "从 .xlsx 或 .csv 文件导入执法人员:逐行校验,有任何错误则全部不写入"

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = resolve_actor(options["user"])
        own = actor.department if actor is not None and actor.role == "dept_admin" else None
        with open_input(options["file"]) as fh:
            result, table = import_inspectors(
                fh,
                filename=options["file"],
                actor=actor,
                dry_run=options["dry_run"],
                own_department=own,
                progress=progress_bar(self, not options["no_progress"]),
            )
            finish(self, result, table, options["errors_out"])
