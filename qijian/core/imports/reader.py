"""Open an uploaded .xlsx or .csv, map its Chinese header row to fields, and stream its rows.

Rows come out as ``(row_no, {field: value})`` where ``row_no`` is the 1-based row number a user sees in
a spreadsheet program (the header is usually row 1). Values are stripped strings, or ``datetime.date`` /
``datetime.datetime`` for Excel date cells. Nothing is held in memory beyond the current row, so a file
of a million rows can be read twice (once to import, once to write the error report).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice, repeat
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings

from qijian.core.imports.errors import ImportFileError

Cell = str | dt.date
Record = list[Cell]

_CHUNK = 1 << 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / .doc
ENCODINGS = ("utf-8-sig", "gb18030")
ENCODING_LABELS = {"utf-8-sig": "UTF-8", "gb18030": "GBK/GB18030"}
DEFAULT_MAX_ROWS = 2_000_000
csv.field_size_limit(1 << 20)


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    columns: tuple[Column, ...]
    # Columns that may be present and are skipped: the error report's own column, export-only columns.
    ignored: tuple[str, ...] = ("错误信息",)

    def header_map(self) -> dict[str, str]:
        out = {normalise_header(c.header): c.field for c in self.columns}
        out.update({normalise_header(a): c.field for c in self.columns for a in c.aliases})
        return out

    def header_of(self, field: str) -> str:
        return next(c.header for c in self.columns if c.field == field)


def normalise_header(text: str) -> str:
    return str(text).replace("\u3000", "").replace(" ", "").strip().strip("*＊").strip()


# --- sources: a CSV or XLSX file as a sequence of raw records ----------------------------------------


class _CsvSource:
    def __init__(self, fh: IO[bytes], encoding: str, line_count: int) -> None:
        self.fh, self.encoding, self.estimate = fh, encoding, line_count
        self.delimiter = ","

    def records(self) -> Iterator[Record]:
        with self._text() as text:
            yield from _csv_records(text, self.delimiter)

    def blocks(self, size: int) -> Iterator[Block]:
        """The records in blocks of ``size``, for worker processes to parse (see Block)."""
        with self._text() as text:
            lines = _Lines(text)
            reader, first = csv.reader(lines, delimiter=self.delimiter), 1
            while block := list(islice(lines if lines.back else text, size)):
                joined = "".join(block)
                if '"' in joined:  # a quoted field may span lines: parse here
                    lines.back.extend(block)
                    yield Block(first, len(block), records=_parsed(reader, size, first))
                else:
                    yield Block(first, len(block), joined)
                first += len(block)

    @contextmanager
    def _text(self) -> Iterator[IO[str]]:
        self.fh.seek(0)
        text = io.TextIOWrapper(self.fh, encoding=self.encoding, newline="")
        try:
            first = text.readline()
            self.delimiter = "\t" if "\t" in first and "," not in first else ","
            text.seek(0)
            yield text
        finally:
            text.detach()


@dataclass(frozen=True)
class Block:
    """``count`` consecutive records of a CSV file, the first being record number ``first``.

    A block is its raw lines joined into one text (one record a line: no line has a quote; one string
    passes to a worker process far faster than thousands) or, when some line has a quote (a quoted
    field may hold a line break), the records already parsed.
    """

    first: int
    count: int
    text: str = ""
    records: list[Record] | None = None

    @property
    def parsed(self) -> bool:
        return self.records is not None

    def lines(self) -> Iterable[str]:
        """The raw lines again, split where the file's reader split them (at LF, CR LF or a lone CR).

        A list of the lines without their line breaks (csv.reader reads a line the same with or without
        it) unless some CR is not followed by LF.
        """
        text = self.text
        if "\r" in text:
            if text.count("\r") != text.count("\r\n"):
                return io.StringIO(text, newline="")  # newline="" splits as the file's reader did
            text = text.replace("\r\n", "\n")
        lines = text.split("\n")
        if not lines[-1]:
            lines.pop()
        return lines


class _Lines:
    """The lines of a text file, with lines pushed back to ``back`` read again first."""

    def __init__(self, text: IO[str]) -> None:
        self.text, self.back = text, deque[str]()

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        return self.back.popleft() if self.back else next(self.text)


def _parsed(reader: Any, size: int, first: int) -> list[Record]:
    try:
        return list(islice(reader, size))
    except csv.Error as exc:
        raise ImportFileError(f"CSV 格式错误({exc}),文件可能已损坏", row=first) from exc


def _csv_records(text: Iterable[str], delimiter: str, first_line: int = 1) -> Iterator[Record]:
    """Raw records (values not yet stripped: Table.rows strips only the mapped columns)."""
    reader = csv.reader(text, delimiter=delimiter)
    try:
        yield from reader  # type: ignore[misc]
    except csv.Error as exc:
        raise ImportFileError(f"CSV 格式错误({exc}),文件可能已损坏", row=first_line - 1 + reader.line_num) from exc


class _XlsxSource:
    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.estimate = 0

    def records(self) -> Iterator[Record]:
        self.fh.seek(0)
        workbook = _load_workbook(self.fh)
        try:
            sheet = workbook.worksheets[0]
            self.estimate = int(getattr(sheet, "max_row", 0) or 0)
            yield from _xlsx_records(sheet)
        finally:
            workbook.close()


def _load_workbook(fh: IO[bytes]) -> Any:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError("不是有效的 .xlsx 文件(文件已损坏或并非 Excel 2007 及以上格式)") from exc
    if not workbook.worksheets:
        raise ImportFileError("Excel 文件中没有工作表")
    return workbook


def _xlsx_records(sheet: Any) -> Iterator[Record]:
    try:
        for values in sheet.iter_rows(values_only=True):
            yield [_xlsx_cell(v) for v in values]
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError("Excel 文件内容损坏,无法读取") from exc


def _xlsx_cell(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date | str):
        return value.strip() if isinstance(value, str) else value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- opening a file ------------------------------------------------------------------------------------


def _size(fh: IO[bytes]) -> int:
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    fh.seek(0)
    return size


def _check_size(size: int) -> None:
    limit = int(settings.QJ_IMPORT_MAX_BYTES)
    if size == 0:
        raise ImportFileError("文件为空")
    if size > limit:
        raise ImportFileError(f"文件过大:{size / 1048576:.1f} MB,超过上限 {limit / 1048576:.0f} MB,请分批导入")


def _scan_csv(fh: IO[bytes]) -> tuple[str, int]:
    """Find the encoding that decodes the whole file, and count its lines, in one pass per encoding."""
    for encoding in ENCODINGS:
        fh.seek(0)
        decoder, lines = codecs.getincrementaldecoder(encoding)(), 0
        try:
            while chunk := fh.read(_CHUNK):
                if b"\x00" in chunk:
                    raise ImportFileError("文件含有二进制内容,不是 CSV 文本表格(如为 UTF-16 文本,请另存为 UTF-8 CSV)")
                decoder.decode(chunk)
                lines += chunk.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    raise ImportFileError("无法识别文件编码:请将 CSV 文件保存为 UTF-8 或 GBK(GB18030)编码")


def _source(fh: IO[bytes], filename: str) -> _CsvSource | _XlsxSource:
    suffix = Path(filename).suffix.lower()
    head = fh.read(8)
    fh.seek(0)
    if suffix == ".xlsx":
        if not head.startswith(_ZIP_MAGIC) or not zipfile.is_zipfile(fh):
            raise ImportFileError("不是有效的 .xlsx 文件(文件已损坏,或只是改了扩展名)")
        return _XlsxSource(fh)
    if suffix == ".csv":
        if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
            raise ImportFileError("扩展名为 .csv,但内容是 Excel 等二进制文件,请另存为 CSV 或改用 .xlsx")
        return _CsvSource(fh, *_scan_csv(fh))
    if suffix == ".xls":
        raise ImportFileError("不支持旧版 .xls 格式,请在 Excel 中另存为 .xlsx 或 CSV")
    raise ImportFileError(f"不支持的文件类型“{suffix or filename}”:仅支持 .xlsx 和 .csv")


def open_table(fh: IO[bytes], *, filename: str, spec: TableSpec) -> Table:
    """Check an uploaded file and its header row; raise ImportFileError with a Chinese message if unusable."""
    _check_size(_size(fh))
    table = Table(_source(fh, filename), spec)
    table.check()
    return table


# --- the table -----------------------------------------------------------------------------------------


def _stripped(value: Cell) -> Cell:
    return value.strip() if isinstance(value, str) else value


def _blank_text(record: Record) -> bool:
    """A row of nothing but spaces (CSV values are not stripped yet); cheap for a normal row."""
    first = record[0]
    return not (first and not str(first).isspace()) and not any(str(v).strip() for v in record)


class Table:
    """An opened upload with its header row mapped to fields; its rows can be read more than once."""

    def __init__(self, source: _CsvSource | _XlsxSource, spec: TableSpec) -> None:
        self.source, self.spec = source, spec
        self.header_row = 0
        self.headers: list[str] = []
        self.pairs: list[tuple[str, int]] = []  # (field, column index) of the mapped columns
        self.width = 0  # the number of cells a record needs to hold every mapped column
        self.max_rows = int(getattr(settings, "QJ_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))

    @property
    def encoding(self) -> str:
        return ENCODING_LABELS.get(getattr(self.source, "encoding", ""), "")

    @property
    def estimated_rows(self) -> int:
        return max(self.source.estimate - self.header_row, 0)

    def check(self) -> None:
        records = self._numbered()
        try:
            self._read_header(records)
            if next(records, None) is None:
                raise ImportFileError("文件只有表头,没有数据行", row=self.header_row)
        finally:
            records.close()

    def _numbered(self) -> Generator[tuple[int, Record], None, None]:
        return _non_blank(enumerate(self.source.records(), start=1))

    def _read_header(self, records: Generator[tuple[int, Record], None, None]) -> None:
        first = next(records, None)
        if first is None:
            raise ImportFileError("文件为空:工作表中没有任何内容")
        self.header_row, record = first
        self.headers = [str(v).strip() for v in record]
        self.pairs = map_headers(self.headers, self.spec, self.header_row)
        self.width = max(i for _, i in self.pairs) + 1

    @property
    def is_csv(self) -> bool:
        return isinstance(self.source, _CsvSource)

    def rows(self) -> Iterator[tuple[int, dict[str, Cell]]]:
        """Every non-blank data row as (spreadsheet row number, {field: value})."""
        row = self.row
        for row_no, record in self.records():
            yield row_no, row(record)

    def records(self) -> Iterator[tuple[int, Record]]:
        """Every non-blank data row as (spreadsheet row number, raw record); ``row`` maps a record to fields."""
        return self._data(self._numbered())

    def block_records(self, block: Block) -> Iterator[tuple[int, Record]]:
        """The non-blank data rows of one block of a CSV file (parsed here, e.g. in a worker process)."""
        delimiter = getattr(self.source, "delimiter", ",")
        records = _csv_records(block.lines(), delimiter, block.first) if block.records is None else block.records
        return self._data(_non_blank(enumerate(records, start=block.first)))

    def plain_records(self, block: Block) -> list[Record] | None:
        """A block's records, parsed here, when each of its lines is one data row within the row limit.

        Record i is then row ``block.first + i``; blank records are left in (see ``is_blank``). None
        for any other block (the header's, one past the limit, one parsed already): use ``block_records``.
        """
        last = block.first + block.count - 1
        if block.parsed or block.first <= self.header_row or last > self.max_rows + self.header_row:
            return None
        lines, delimiter = block.lines(), getattr(self.source, "delimiter", ",")
        if isinstance(lines, list) and max(map(len, lines), default=0) < csv.field_size_limit():
            # No line of a plain block has a quote: csv.reader would just split it at the delimiter.
            return cast(list[Record], list(map(str.split, lines, repeat(delimiter))))
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            return cast(list[Record], list(reader))
        except csv.Error as exc:  # as _csv_records reports it
            raise ImportFileError(f"CSV 格式错误({exc}),文件可能已损坏", row=block.first - 1 + reader.line_num) from exc

    def _data(self, numbered: Iterator[tuple[int, Record]]) -> Iterator[tuple[int, Record]]:
        limit = self.max_rows + self.header_row
        for row_no, record in numbered:
            if row_no <= self.header_row:
                continue
            if row_no > limit:
                raise ImportFileError(f"行数超过上限 {self.max_rows} 行,请分批导入", row=row_no)
            yield row_no, record

    def row(self, record: Record) -> dict[str, Cell]:
        width = self.width
        if len(record) < width:
            record = record + [""] * (width - len(record))
        if self.is_csv:  # every cell is a str: the faster form
            return {field: record[i].strip() for field, i in self.pairs}  # type: ignore[union-attr]
        return {field: _stripped(record[i]) for field, i in self.pairs}

    def raw_rows(self) -> Iterator[tuple[int, Record]]:
        """Every record as read (header included, blank rows skipped), for the error report."""
        return self._numbered()


def _non_blank(numbered: Iterable[tuple[int, Record]]) -> Generator[tuple[int, Record], None, None]:
    for row_no, record in numbered:
        if any(record) and (record[0].__class__ is not str or not _blank_text(record)):
            yield row_no, record


def is_blank(record: Record) -> bool:
    """A record the import skips (every cell empty or spaces), as ``_non_blank`` decides."""
    return not (any(record) and (record[0].__class__ is not str or not _blank_text(record)))


def map_headers(headers: list[str], spec: TableSpec, row: int) -> list[tuple[str, int]]:
    known, ignored = spec.header_map(), {normalise_header(h) for h in spec.ignored}
    pairs: dict[str, int] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        name = normalise_header(header)
        if not name or name in ignored:
            continue
        if name not in known:
            unknown.append(header)
        elif known[name] in pairs:
            raise ImportFileError("列名重复", row=row, column=header)
        else:
            pairs[known[name]] = index
    _check_header(spec, pairs, unknown, row)
    return list(pairs.items())


def _check_header(spec: TableSpec, pairs: dict[str, int], unknown: list[str], row: int) -> None:
    expected = "、".join(c.header for c in spec.columns)
    if not pairs:
        raise ImportFileError(f"未找到表头行:第一行应为列名({expected})", row=row)
    if unknown:
        raise ImportFileError(f"无法识别的列名;可用的列名为:{expected}", row=row, column="、".join(unknown))
    missing = [c.header for c in spec.columns if c.required and c.field not in pairs]
    if missing:
        raise ImportFileError(f"缺少必填列:{'、'.join(missing)}", row=row, column="、".join(missing))
