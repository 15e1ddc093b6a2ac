"""``manage.py export_audit_checkpoints FILE``: JSON lines an outside party can check with only the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qijian.audit.models import AuditCheckpoint
from qijian.audit.queries import export_lines


class Command(BaseCommand):
    help = "导出审计检查点(JSON Lines,每行一个检查点,格式见 docs/audit.md)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="输出文件路径(- 表示标准输出)")

    def handle(self, *args: Any, **options: Any) -> None:
        lines = export_lines(AuditCheckpoint.objects.all())
        if options["file"] == "-":
            for line in lines:
                self.stdout.write(line, ending="")
            return
        path = Path(options["file"])
        try:
            with path.open("w", encoding="utf-8") as fh:
                count = sum(1 for line in lines if fh.write(line))
        except OSError as exc:
            raise CommandError(f"无法写入 {path}: {exc.strerror}") from exc
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 个检查点到 {path}"))
