"""The error report of an import: the uploaded rows with an added 错误信息 column, and text lines.

The .xlsx report keeps every row at its original row number (blank rows stay blank), so a user can
compare it with the file they uploaded, fix the rows and upload the report itself again (the importers
ignore the 错误信息 column).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from qijian.core.exports import write_xlsx
from qijian.core.imports.errors import LEVEL_LABELS, RowIssue
from qijian.core.imports.reader import Cell, Table
from qijian.core.imports.runner import ImportResult

ERROR_COLUMN = "错误信息"
STORED_ISSUES = 50_000  # issues kept for the result page; the .xlsx report has them all
REPORT_MAX_AGE = 24 * 3600


def issue_text(issues: list[RowIssue]) -> str:
    return ";".join(f"[{LEVEL_LABELS[i.level]}]{i.column}:{i.message}" for i in issues)


def _report_rows(table: Table, result: ImportResult) -> Iterator[list[Cell]]:
    by_row = result.issues.by_row()
    width = len(table.headers)
    expected = table.header_row + 1
    for row_no, record in table.raw_rows():
        if row_no <= table.header_row:
            continue
        while expected < row_no:  # keep blank rows, so the row numbers match the upload
            yield []
            expected += 1
        expected = row_no + 1
        padded = list(record[:width]) + [""] * (width - len(record))
        yield [*padded, issue_text(by_row.get(row_no, []))]


def write_error_report(table: Table, result: ImportResult, out: str | IO[bytes]) -> int:
    """Write the uploaded rows with the 错误信息 column; return the number of data rows written."""
    headers = [*table.headers, ERROR_COLUMN]
    return write_xlsx(out, headers, _report_rows(table, result), title="导入错误报告")


def result_lines(result: ImportResult, limit: int | None = None) -> Iterator[str]:
    """The issues as printed by the commands: one line each."""
    items = result.issues.items if limit is None else result.issues.items[:limit]
    for issue in items:
        yield f"[{LEVEL_LABELS[issue.level]}] {issue.describe()}"
    if limit is not None and len(result.issues.items) > limit:
        yield f"……另有{len(result.issues.items) - limit}条未列出(见错误报告)"


# --- stored results for the upload pages ------------------------------------------------------------


def report_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "import-reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _purge_old(folder: Path) -> None:
    cutoff = time.time() - REPORT_MAX_AGE
    for item in folder.iterdir():
        if item.is_file() and item.stat().st_mtime < cutoff:
            item.unlink(missing_ok=True)


def store_result(result: ImportResult, table: Table | None) -> str:
    """Keep a result (and its .xlsx report when there are issues) for the result page; return its token."""
    folder = report_dir()
    _purge_old(folder)
    token = uuid.uuid4().hex
    has_report = table is not None and bool(result.issues.items)
    if has_report and table is not None:
        write_error_report(table, result, str(folder / f"{token}.xlsx"))
    payload = _payload(result, has_report)
    (folder / f"{token}.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return token


def _payload(result: ImportResult, has_report: bool) -> dict[str, Any]:
    return {
        "kind": result.kind,
        "filename": result.filename,
        "ok": result.ok,
        "dry_run": result.dry_run,
        "rows": result.rows,
        "created": result.created,
        "errors": result.issues.error_count,
        "warnings": result.issues.warning_count,
        "summary": result.summary(),
        "file_error": result.file_error.describe() if result.file_error else "",
        "issues": [i.as_dict() for i in result.issues.items[:STORED_ISSUES]],
        "has_report": has_report,
    }


def load_result(token: str) -> dict[str, Any] | None:
    if not token.isalnum():
        return None
    path = report_dir() / f"{token}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def report_path(token: str) -> Path | None:
    path = report_dir() / f"{token}.xlsx"
    return path if token.isalnum() and path.exists() else None
