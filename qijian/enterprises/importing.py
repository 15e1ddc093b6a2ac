"""Importing and exporting the enterprise registry as .xlsx / .csv.

Columns (headers in Chinese, see docs/imports.md): 统一社会信用代码, 企业名称, 市场主体类型, 行业代码,
所在乡镇, 住所, 法定代表人 are required; 联系人, 联系电话, 经营状态, 成立日期 are optional. The export
writes the same headers (plus a few that the importer skips), so an export can be imported elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import IO, Any

from django.conf import settings
from django.db.models import QuerySet

from qijian.core.codes.uscc import check_uscc
from qijian.core.exports import table_response, write_table
from qijian.core.imports.errors import Issues
from qijian.core.imports.parallel import FirstRows, Parallel, check_each
from qijian.core.imports.pgcopy import ColumnRows, column
from qijian.core.imports.reader import Cell, Column, Record, Table, TableSpec, is_blank
from qijian.core.imports.runner import ImportResult, Loader, import_file
from qijian.core.imports.uscc_fast import all_valid_uscc, in_alphabet, is_valid_uscc
from qijian.core.imports.values import choice_hint, choice_map, parse_date, text
from qijian.enterprises.choices import EnterpriseStatus, EnterpriseType, Grade, UsccStatus
from qijian.enterprises.models import Enterprise, Industry
from qijian.enterprises.services import (
    EnterpriseBatch,
    enterprise_batch_encoder,
    load_enterprise_batches,
    load_enterprises,
)
from qijian.org.choices import RegionLevel
from qijian.org.models import Region

COLUMNS = (
    Column("uscc", "统一社会信用代码", True, ("社会信用代码", "信用代码")),
    Column("name", "企业名称", True, ("市场主体名称", "名称")),
    Column("type", "市场主体类型", True, ("企业类型", "主体类型")),
    Column("industry", "行业代码", True, ("国民经济行业代码",)),
    Column("township", "所在乡镇", True, ("所在乡镇/开发区", "乡镇", "所属乡镇")),
    Column("address", "住所", True, ("地址", "经营场所")),
    Column("legal_representative", "法定代表人", True, ("法定代表人/负责人", "负责人")),
    Column("contact_name", "联系人"),
    Column("contact_phone", "联系电话"),
    Column("status", "经营状态"),
    Column("established_on", "成立日期"),
)
EXPORT_ONLY = ("行业名称", "分级分类", "代码校验状态")
SPEC = TableSpec(COLUMNS, ignored=("错误信息", *EXPORT_ONLY))
H = {c.field: c.header for c in COLUMNS}
_TEXT_LIMITS = {f.name: f.max_length for f in Enterprise._meta.concrete_fields if f.max_length}
_TYPES = choice_map(EnterpriseType.choices)
_STATUSES = choice_map(EnterpriseStatus.choices)
_HINTS = {"type": choice_hint(EnterpriseType.choices), "status": choice_hint(EnterpriseStatus.choices)}
# Plain strings: enum members are slow to read a million times and to hand to COPY.
_VALID, _PILOT = str(UsccStatus.VALID.value), str(UsccStatus.PILOT.value)
_OPERATING, _GRADE_B = str(EnterpriseStatus.OPERATING.value), str(Grade.B.value)
AMBIGUOUS = -1
_TEXT_FIELDS = tuple(
    (name, required, int(_TEXT_LIMITS[name] or 0))
    for name, required in (
        ("name", True),
        ("address", True),
        ("legal_representative", True),
        ("contact_name", False),
        ("contact_phone", False),
    )
)


@dataclass
class EnterpriseLookups:
    """Everything a row is checked against, read from the database once per import."""

    industries: dict[str, int]
    townships: dict[str, int]
    existing: set[str]
    # Built on first use, per column layout; a worker process builds its own.
    clean: dict[tuple[tuple[str, int], ...], CleanColumns | None] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls) -> EnterpriseLookups:
        return cls(_industry_index(), _township_index(), set(Enterprise.objects.values_list("uscc", flat=True)))

    def clean_columns(self, pairs: list[tuple[str, int]]) -> CleanColumns | None:
        """The column-by-column check for a file's columns; None when the file lacks one of them."""
        key, columns = tuple(pairs), dict(pairs)
        if key not in self.clean:
            self.clean[key] = CleanColumns(self, columns) if set(_CLEAN_FIELDS) <= columns.keys() else None
        return self.clean[key]


def _industry_index() -> dict[str, int]:
    """GB/T 4754 codes with and without the section letter: C1311, 1311, C13, 13 → the industry."""
    index: dict[str, int] = {}
    for pk, code in Industry.objects.values_list("pk", "code"):
        index[code.upper()] = pk
        if len(code) > 1 and code[0].isalpha():
            index.setdefault(code[1:], pk)
    return index


def _township_index() -> dict[str, int]:
    """Township and zone regions by code, and by name when the name is unique (else AMBIGUOUS)."""
    index: dict[str, int] = {}
    regions = Region.objects.filter(level__in=[RegionLevel.TOWNSHIP, RegionLevel.ZONE])
    rows = list(regions.values_list("pk", "code", "name"))
    for pk, _, name in rows:
        index[name] = AMBIGUOUS if name in index else pk
    for pk, code, _ in rows:
        index[code] = pk
    return index


@dataclass
class EnterpriseChecker:
    """Checks one row at a time; returns the row to load (LOAD_COLUMNS order) or None after an error."""

    lookups: EnterpriseLookups
    issues: Issues = field(default_factory=Issues)
    seen: FirstRows = field(default_factory=FirstRows)
    keys: list[tuple[int, str, int]] | None = None  # see qijian/core/imports/parallel.py

    def check(self, row_no: int, row: dict[str, Cell]) -> tuple[Any, ...] | None:
        before = self.issues.error_count
        code, code_status = self._uscc(row_no, row["uscc"])
        name, address, legal, contact, phone = self._texts(row_no, row)
        values = (
            code,
            code_status,
            name,
            self._choice(row_no, row["type"], "type", _TYPES),
            self._industry(row_no, row["industry"]),
            self._township(row_no, row["township"]),
            address,
            legal,
            contact,
            phone,
            self._status(row_no, row.get("status", "")),
            _GRADE_B,
            self._date(row_no, row.get("established_on", "")),
        )
        return values if self.issues.error_count == before else None

    def _texts(self, row_no: int, row: dict[str, Cell]) -> list[str]:
        """The free-text fields, checked for presence and length in one loop (this runs a million times)."""
        out: list[str] = []
        for name, required, limit in _TEXT_FIELDS:
            raw = row.get(name, "")
            value = raw if isinstance(raw, str) else text(raw)
            if (required and not value) or len(value) > limit:
                self._text_error(row_no, name, value, limit)
            out.append(value)
        return out

    def _text_error(self, row_no: int, name: str, value: str, limit: int) -> None:
        message = f"长度不能超过{limit}个字符(实际{len(value)}个)" if value else "必填项为空"
        self.issues.error(row_no, H[name], message)

    def _uscc(self, row_no: int, raw: Cell) -> tuple[str, str]:
        code = (raw if isinstance(raw, str) else text(raw)).upper()
        if is_valid_uscc(code):
            status = _VALID
        elif not self._uscc_shape_ok(row_no, code):
            return code, _VALID
        else:
            status = _PILOT
            self.issues.warning(row_no, H["uscc"], f"校验未通过,按早期试点代码登记({check_uscc(code).message})")
        self._duplicate(row_no, code)
        return code, status

    def _uscc_shape_ok(self, row_no: int, code: str) -> bool:
        if not code:
            self.issues.error(row_no, H["uscc"], "必填项为空")
        elif not in_alphabet(code):
            self.issues.error(row_no, H["uscc"], f"代码“{code}”无效:{check_uscc(code).message}")
        else:
            return True
        return False

    def _duplicate(self, row_no: int, code: str) -> None:
        if code in self.lookups.existing:
            self.issues.error(row_no, H["uscc"], f"代码“{code}”已在系统中登记,不能重复导入")
        if self.keys is None:
            self.repeat(row_no, code)
        else:  # checking one batch in a worker: the main process checks repeats across the whole file
            self.keys.append((row_no, code, len(self.issues.items)))

    def repeat(self, row_no: int, code: str) -> None:
        """Report a code an earlier row of the file had (a registered code is reported by _duplicate)."""
        first = self.seen.setdefault(code, row_no)
        if first != row_no and code not in self.lookups.existing:
            self.issues.error(row_no, H["uscc"], f"与第{first}行的统一社会信用代码重复")
            self.issues.error(first, H["uscc"], f"与第{row_no}行的统一社会信用代码重复")

    def repeat_all(self, keys: list[tuple[int, str, int]]) -> None:
        """``repeat`` each (row number, code, _) in order: in one step when every code is new."""
        if not self.seen.add_new(keys):
            for row_no, code, _ in keys:
                self.repeat(row_no, code)

    def for_batch(self) -> EnterpriseChecker:
        return EnterpriseChecker(self.lookups, keys=[])

    def check_plain(self, table: Table, first: int, records: list[Record]) -> tuple[Sequence[tuple[Any, ...]], int]:
        """``check`` each non-blank record of a batch (see BatchChecker), the clean ones column by column."""
        clean, keys = self.lookups.clean_columns(table.pairs), self.keys
        if clean is None or keys is None or not records:
            numbered = enumerate(records, first)
            return check_each(self, table, ((n, r) for n, r in numbered if not is_blank(r)))
        rows, bad = clean.values(records, table.width)
        if not bad:  # the common case: no issue, so each repeat check comes after the same issues
            keys.extend(zip(range(first, first + len(rows)), column(rows, 0), repeat(len(self.issues.items))))
            return rows, len(rows)
        return self._check_some(table, first, records, list(rows), bad)

    def _check_some(
        self, table: Table, first: int, records: list[Record], rows: list[tuple[Any, ...]], bad: set[int]
    ) -> tuple[list[tuple[Any, ...]], int]:
        """Take the clean rows as they are and ``check`` the others, in file order."""
        accepted, items, keys, count = [], self.issues.items, self.keys, 0
        assert keys is not None
        for i, values in enumerate(rows):
            row_no, record = first + i, records[i]
            if i not in bad:
                keys.append((row_no, values[0], len(items)))  # as _duplicate records it
                accepted.append(values)
            elif is_blank(record):
                continue
            elif (checked := self.check(row_no, table.row(record))) is not None:
                accepted.append(checked)
            count += 1
        return accepted, count

    def _choice(self, row_no: int, raw: Cell, name: str, mapping: dict[str, str]) -> str:
        value = raw if isinstance(raw, str) else text(raw)
        if value in mapping:
            return mapping[value]
        message = "必填项为空" if not value else f"无法识别“{value}”"
        self.issues.error(row_no, H[name], f"{message},应为:{_HINTS[name]}")
        return ""

    def _status(self, row_no: int, raw: Cell) -> str:
        if raw == "":
            return _OPERATING
        return self._choice(row_no, raw, "status", _STATUSES)

    def _industry(self, row_no: int, raw: Cell) -> int | None:
        value = (raw if isinstance(raw, str) else text(raw)).upper()
        found = self.lookups.industries.get(value)
        if found is None:
            message = "必填项为空" if not value else f"“{value}”不在国民经济行业分类(GB/T 4754-2017)中"
            self.issues.error(row_no, H["industry"], message)
        return found

    def _township(self, row_no: int, raw: Cell) -> int | None:
        value = raw if isinstance(raw, str) else text(raw)
        found = self.lookups.townships.get(value)
        if found is None or found == AMBIGUOUS:
            self.issues.error(row_no, H["township"], _township_message(value, found))
            return None
        return found

    def _date(self, row_no: int, raw: Cell) -> dt.date | None:
        if raw == "":
            return None
        try:
            return parse_date(raw)
        except ValueError as exc:
            self.issues.error(row_no, H["established_on"], str(exc))
            return None


# --- checking a batch column by column ---------------------------------------------------------------

_CLEAN_FIELDS = (  # unpacked in this order by CleanColumns.values
    "uscc",
    "name",
    "type",
    "industry",
    "township",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "status",
    "established_on",
)
_MAX_DATES = 100_000  # distinct date texts remembered
_UNKNOWN = object()


class CleanColumns:
    """Checks a batch of raw CSV records column by column, each check one C-level pass over a column.

    ``values`` gives, for every record, the values ``EnterpriseChecker.check`` would give, and the
    indices of the records that some check fails (or that are short or blank): only those go through
    ``check``, which reports their issues. Every other record passes every check with no issue.
    """

    def __init__(self, lookups: EnterpriseLookups, columns: dict[str, int]) -> None:
        self.indices = [columns[name] for name in _CLEAN_FIELDS]
        # Keys that upper() leaves alone: a hit on the raw value is a hit on value.upper(), as _industry reads.
        self.industries = {code: pk for code, pk in lookups.industries.items() if code == code.upper()}
        self.townships = {key: pk for key, pk in lookups.townships.items() if pk != AMBIGUOUS}
        self.statuses = {**_STATUSES, "": _OPERATING}
        self.existing = lookups.existing
        self.dates: dict[str, dt.date | None] = {"": None}

    def values(self, records: list[Record], width: int) -> tuple[ColumnRows, set[int]]:
        bad: set[int] = set()
        if min(map(len, records)) < width:
            bad.update(i for i, record in enumerate(records) if len(record) < width)
            records = [[""] * width if i in bad else record for i, record in enumerate(records)]
        grid = list(zip(*records, strict=False))  # as long as the shortest record: every index is there
        code, name, kind, industry, township, address, legal, contact, phone, status, day = (
            list(map(str.strip, grid[i])) for i in self.indices
        )
        codes = self._codes(code, bad)
        kinds, industries = _look(_TYPES, kind, bad), _look(self.industries, industry, bad)
        townships, statuses = _look(self.townships, township, bad), _look(self.statuses, status, bad)
        for texts, (_, required, limit) in zip((name, address, legal, contact, phone), _TEXT_FIELDS, strict=True):
            _check_lengths(texts, required, limit, bad)
        days, count = self._days(day, bad), len(records)
        columns = [codes, [_VALID] * count, name, kinds, industries, townships, address, legal, contact, phone]
        return ColumnRows([*columns, statuses, [_GRADE_B] * count, days]), bad

    def _codes(self, raw: list[str], bad: set[int]) -> list[str]:
        codes = list(map(str.upper, raw))
        if not all_valid_uscc(codes):
            bad.update(i for i, code in enumerate(codes) if not is_valid_uscc(code))
        if not self.existing.isdisjoint(codes):
            bad.update(i for i, code in enumerate(codes) if code in self.existing)
        return codes

    def _days(self, texts: list[str], bad: set[int]) -> list[Any]:
        days = list(map(self.dates.get, texts, repeat(_UNKNOWN)))
        if _UNKNOWN in days:
            for i, day in enumerate(days):
                if day is _UNKNOWN:
                    days[i] = self._parse(texts[i])
                    if days[i] is None:
                        bad.add(i)
        return days

    def _parse(self, text: str) -> dt.date | None:
        """parse_date(text), remembered; None when it is not a date (the row's check reports it)."""
        try:
            day = parse_date(text)
        except ValueError:
            return None
        if len(self.dates) < _MAX_DATES:
            self.dates[text] = day
        return day


def _look(mapping: dict[str, Any], keys: list[str], bad: set[int]) -> list[Any]:
    found = list(map(mapping.get, keys))
    if None in found:
        bad.update(i for i, value in enumerate(found) if value is None)
    return found


def _check_lengths(texts: list[str], required: bool, limit: int, bad: set[int]) -> None:
    lengths = list(map(len, texts))
    if max(lengths) > limit or (required and not min(lengths)):
        bad.update(i for i, length in enumerate(lengths) if length > limit or (required and not length))


def _township_message(value: str, found: int | None) -> str:
    if not value:
        return "必填项为空"
    if found == AMBIGUOUS:
        return f"乡镇名称“{value}”不唯一,请填写区划代码"
    return f"未找到乡镇或开发区“{value}”(可填名称或区划代码)"


def import_enterprises(
    fh: IO[bytes],
    *,
    filename: str,
    actor: Any,
    dry_run: bool = False,
    progress: Callable[[Table], Any] | None = None,
    workers: int | None = None,
    batch_rows: int = 5000,
    parallel_min_rows: int = 50_000,
) -> tuple[ImportResult, Table | None]:
    """Validate every row of an uploaded file and register all its enterprises, or none of them.

    A CSV file of at least ``parallel_min_rows`` rows is checked by ``workers`` processes
    (default: the QJ_IMPORT_WORKERS setting; 0 checks every file in this process) in batches of
    ``batch_rows``; the result is the same either way.
    """

    def load(rows: Iterator[tuple[Any, ...]], expected: int) -> int:
        return load_enterprises(actor=actor, rows=rows, expected=expected, source=filename)

    def load_batches(batches: Iterator[EnterpriseBatch], expected: int) -> int:
        return load_enterprise_batches(actor=actor, batches=batches, expected=expected, source=filename)

    loader: Loader[tuple[Any, ...]] = load
    count = settings.QJ_IMPORT_WORKERS if workers is None else workers
    parallel = Parallel(enterprise_batch_encoder(), load_batches, count, batch_rows, parallel_min_rows)
    return import_file(
        fh,
        filename=filename,
        kind="enterprises",
        spec=SPEC,
        make_checker=lambda: EnterpriseChecker(EnterpriseLookups.load()),
        load=loader,
        dry_run=dry_run,
        progress=progress,
        parallel=parallel,
    )


# --- export -----------------------------------------------------------------------------------------

EXPORT_HEADERS = (
    "统一社会信用代码",
    "企业名称",
    "市场主体类型",
    "行业代码",
    "行业名称",
    "所在乡镇",
    "住所",
    "法定代表人",
    "联系人",
    "联系电话",
    "经营状态",
    "成立日期",
    "分级分类",
    "代码校验状态",
)
_EXPORT_FIELDS = (
    "uscc",
    "name",
    "type",
    "industry__code",
    "industry__name",
    "township__name",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "status",
    "established_on",
    "grade",
    "uscc_status",
)
_LABELS = {
    2: dict(EnterpriseType.choices),
    10: dict(EnterpriseStatus.choices),
    12: dict(Grade.choices),
    13: dict(UsccStatus.choices),
}


def export_rows(queryset: QuerySet[Enterprise]) -> Iterator[list[Any]]:
    """The rows of an export, read in chunks without building model instances."""
    for values in queryset.order_by("id").values_list(*_EXPORT_FIELDS).iterator(chunk_size=5000):
        row = list(values)
        for index, labels in _LABELS.items():
            row[index] = labels.get(row[index], row[index])
        yield row


def export_enterprises(queryset: QuerySet[Enterprise], path: str) -> int:
    """Write the (already restricted) queryset to ``path`` (.xlsx or .csv); return the row count."""
    return write_table(path, EXPORT_HEADERS, export_rows(queryset), title="企业名录")


def enterprise_export_response(queryset: QuerySet[Enterprise], fmt: str = "xlsx") -> Any:
    """A download of the (already restricted) queryset for a page's export button."""
    return table_response("企业名录", EXPORT_HEADERS, export_rows(queryset), fmt=fmt, title="企业名录")
