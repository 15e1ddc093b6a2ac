"""What the import and export management commands share: the actor, the progress bar, the output."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from qijian.core.imports.reader import Table
from qijian.core.imports.report import result_lines, write_error_report
from qijian.core.imports.runner import ImportResult

PRINTED_ISSUES = 200


def add_import_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
    parser.add_argument("--dry-run", action="store_true", help="只校验,不写入")
    parser.add_argument("--errors-out", metavar="PATH", help="把错误报告(.xlsx,含“错误信息”列)写到此路径")
    parser.add_argument("--user", metavar="USERNAME", help="以此用户的名义导入(默认:系统)")
    parser.add_argument("--no-progress", action="store_true", help="不显示进度条")


def resolve_actor(username: str | None) -> Any:
    """The user named by --user, or None (recorded as “system” in the audit trail)."""
    if not username:
        return None
    from qijian.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户“{username}”不存在或已停用")
    return user


def progress_bar(command: BaseCommand, enabled: bool) -> Callable[[Table], Callable[[int], object]] | None:
    """A tqdm bar on the command's stderr, sized by the file's estimated row count."""
    if not enabled:
        return None
    stream = getattr(command.stderr, "_out", sys.stderr)  # the raw stream: tqdm rewrites its line with \r

    def start(table: Table) -> Callable[[int], object]:
        bar = tqdm(total=table.estimated_rows or None, unit="行", desc="校验并导入", file=stream, leave=True)
        return bar.update

    return start


def open_input(path: str) -> IO[bytes]:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"文件不存在:{path}")
    return file.open("rb")


def finish(command: BaseCommand, result: ImportResult, table: Table | None, errors_out: str | None) -> None:
    """Print the issues and the summary, write the error report if asked, and fail on any error."""
    for line in result_lines(result, PRINTED_ISSUES):
        command.stdout.write(line)
    if errors_out and table is not None and result.issues.items:
        write_error_report(table, result, errors_out)
        command.stdout.write(f"错误报告已写入:{errors_out}")
    summary = f"{result.summary()}(用时{result.seconds:.1f}秒)"
    if not result.ok:
        raise CommandError(summary)
    command.stdout.write(command.style.SUCCESS(summary))
