"""Writing tables to .xlsx and .csv for download, safe against spreadsheet formula injection.

Any text cell that a spreadsheet program would read as a formula or a command (it starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading apostrophe, as the OWASP
CSV-injection guidance advises; real numbers (including negative ones) stay numbers. CSV files are
UTF-8 with a byte-order mark so that Excel opens Chinese text correctly. Rows are streamed: the xlsx
writer uses openpyxl's write-only mode, so an export of a million rows does not hold them in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

# Control characters that the xlsx format cannot hold (openpyxl refuses them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("xlsx", "csv")
_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def neutralise(value: Any) -> Any:
    """Make one cell value safe to open in a spreadsheet program."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal | dt.date | dt.datetime):
        return _naive_local(value) if isinstance(value, dt.datetime) else value
    text = _ILLEGAL.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _naive_local(value: dt.datetime) -> dt.datetime:
    """Spreadsheets know no time zones: write aware datetimes in the site's local time."""
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _csv_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat() if isinstance(value, dt.date) else value


def safe_rows(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    for row in rows:
        yield [neutralise(v) for v in row]


def write_csv(out: IO[str], headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a CSV (the caller opens ``out`` with encoding='utf-8-sig', newline=''); return the row count."""
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([neutralise(h) for h in headers])
    count = 0
    for row in safe_rows(rows):
        writer.writerow([_csv_value(v) for v in row])
        count += 1
    return count


def write_xlsx(out: str | IO[bytes], headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> int:
    """Write a one-sheet workbook in write-only mode; return the row count."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(h) for h in headers])
    count = 0
    for row in safe_rows(rows):
        sheet.append(row)
        count += 1
    workbook.save(out)
    return count


def write_table(path: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> int:
    """Write to a file whose extension (.xlsx or .csv) chooses the format."""
    if path.lower().endswith(".csv"):
        with open(path, "w", encoding="utf-8-sig", newline="") as out:
            return write_csv(out, headers, rows)
    return write_xlsx(path, headers, rows, title=title)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    yield "\ufeff"
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_NONNUMERIC)
    yield writer.writerow([neutralise(h) for h in headers])
    for row in safe_rows(rows):
        yield writer.writerow([_csv_value(v) for v in row])


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def table_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, fmt: str, title: str
) -> HttpResponse | StreamingHttpResponse | FileResponse:
    """A download of the table: CSV is streamed; xlsx is spooled to a temporary file first."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    name = f"{filename}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_stream(headers, rows), content_type=_CONTENT_TYPES["csv"])
        response["Content-Disposition"] = _disposition(name)
        return response
    spool: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    write_xlsx(spool, headers, rows, title=title)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=name, content_type=_CONTENT_TYPES["xlsx"])


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, headers, rows, title=title)
    return buffer.getvalue()
