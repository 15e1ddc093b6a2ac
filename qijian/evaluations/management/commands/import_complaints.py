"""``manage.py import_complaints FILE --source hotline|direct``: import 12345 / 企业家直通车 tickets.

All or nothing; tickets imported before are skipped and listed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qijian.core.imports.commands import add_import_arguments, finish, open_input, progress_bar, resolve_actor
from qijian.evaluations.complaint_importing import SOURCES, import_complaints


class Command(BaseCommand):
    help = "导入12345热线或企业家直通车导出的投诉工单;有任何错误则全部不写入,已导入的工单跳过"

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser)
        parser.add_argument(
            "--source", required=True, choices=sorted(SOURCES), help="hotline=12345热线,direct=企业家直通车"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = resolve_actor(options["user"])
        progress = progress_bar(self, not options["no_progress"])
        with open_input(options["file"]) as fh:
            result, table = import_complaints(
                fh,
                source=options["source"],
                filename=options["file"],
                actor=actor,
                dry_run=options["dry_run"],
                progress=progress,
            )
            finish(self, result, table, options["errors_out"])  # the error report reads the file again
