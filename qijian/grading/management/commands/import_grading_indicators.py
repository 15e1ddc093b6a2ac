"""``manage.py import_grading_indicators FILE``: import grading indicator values (all or nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qijian.core.imports.commands import add_import_arguments, finish, open_input, progress_bar, resolve_actor
from qijian.grading.importing import import_indicators


class Command(BaseCommand):
    help = "导入企业分级分类指标数据(信用等级、纳税信用、高新技术、从业人数、纳税额、安全事故);有任何错误则全部不写入"

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = resolve_actor(options["user"])
        progress = progress_bar(self, not options["no_progress"])
        with open_input(options["file"]) as fh:
            result, table = import_indicators(
                fh, filename=options["file"], actor=actor, dry_run=options["dry_run"], progress=progress
            )
        finish(self, result, table, options["errors_out"])
