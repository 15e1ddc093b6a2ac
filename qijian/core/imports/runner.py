"""Running one import: open the file, validate every row, load all of them or nothing.

Rows are validated and handed to the loader in one streaming pass (the loader may be writing them to
the database while later rows are still being checked). After the last row, if any row had an error,
the pass raises inside the loader's transaction, so everything written is rolled back; then the issues
of every row are reported. A dry run validates without writing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Generic, Protocol, TypeVar, cast

from django.db import IntegrityError, transaction

from qijian.core.imports.errors import ImportFileError, InvalidRowsError, Issues
from qijian.core.imports.parallel import BatchChecker, Parallel, ParallelPass, worker_pool
from qijian.core.imports.reader import Cell, Table, TableSpec, open_table

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
PROGRESS_STEP = 1000
_CONFLICT = "数据库拒绝写入(可能有他人同时登记了相同的记录),全部未写入,请重试"


class RowChecker(Protocol[T_co]):
    issues: Issues

    def check(self, row_no: int, row: dict[str, Cell]) -> T_co | None: ...


@dataclass
class ImportResult:
    kind: str
    filename: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    seconds: float = 0.0
    encoding: str = ""
    issues: Issues = field(default_factory=Issues)
    file_error: ImportFileError | None = None

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.issues.has_errors

    def summary(self) -> str:
        if self.file_error is not None:
            return f"导入失败:{self.file_error.describe()}。未写入任何数据。"
        counts = f"共{self.rows}行,错误{self.issues.error_count}条,警告{self.issues.warning_count}条"
        if self.issues.has_errors:
            return f"导入失败:{counts}。所有行均未写入,请修正错误后重新导入。"
        if self.dry_run:
            return f"试运行通过:{counts}。未写入数据(去掉 --dry-run 即可正式导入)。"
        return f"导入成功:{counts},已写入{self.created}条。"


@dataclass
class _Pass(Generic[T]):
    table: Table
    checker: RowChecker[T]
    progress: Callable[[int], object] | None
    rows: int = 0

    def __iter__(self) -> Iterator[T]:
        issues, progress = self.checker.issues, self.progress
        for row_no, row in self.table.rows():
            values = self.checker.check(row_no, row)
            self.rows += 1
            if values is not None and not issues.error_count:
                yield values
            if progress is not None and self.rows % PROGRESS_STEP == 0:
                progress(PROGRESS_STEP)
        if progress is not None:
            progress(self.rows % PROGRESS_STEP)
        if issues.error_count:
            raise InvalidRowsError


Loader = Callable[[Iterator[T], int], int]


def run_import(
    table: Table,
    checker: RowChecker[T],
    load: Loader[T],
    *,
    result: ImportResult,
    progress: Any = None,
    parallel: Parallel[T, Any] | None = None,
) -> ImportResult:
    """Check and load every row; a large CSV file is checked by worker processes when ``parallel`` applies.

    ``parallel`` needs a checker that is also a ``BatchChecker`` (qijian/core/imports/parallel.py).
    """
    started = time.perf_counter()
    result.issues, result.encoding = checker.issues, table.encoding
    if parallel is not None and parallel.applies(table):
        rows = _run_parallel(table, cast(BatchChecker[T], checker), parallel, result, progress)
    else:
        validated = _Pass(table, checker, progress)
        _load(validated, load, table.estimated_rows, result)
        rows = validated.rows
    result.rows, result.seconds = rows, time.perf_counter() - started
    return result


def _run_parallel(
    table: Table, checker: BatchChecker[T], parallel: Parallel[T, Any], result: ImportResult, progress: Any
) -> int:
    with worker_pool(table, checker, parallel) as pool:
        validated = ParallelPass(table, checker, parallel, pool, progress)
        _load(validated, parallel.load, table.estimated_rows, result)
    return validated.rows


def _load(validated: Iterable[Any], load: Loader[Any], expected: int, result: ImportResult) -> None:
    try:
        if result.dry_run:
            for _ in validated:
                pass
        else:
            with transaction.atomic():
                result.created = load(iter(validated), expected)
    except InvalidRowsError:
        result.created = 0
    except ImportFileError as exc:
        result.file_error, result.created = exc, 0
    except IntegrityError:  # e.g. someone registered the same code while this file was loading
        result.file_error, result.created = ImportFileError(_CONFLICT), 0


def import_file(
    fh: IO[bytes],
    *,
    filename: str,
    kind: str,
    spec: TableSpec,
    make_checker: Callable[[], RowChecker[T]],
    load: Loader[T],
    dry_run: bool = False,
    progress: Callable[[Table], Any] | None = None,
    parallel: Parallel[T, Any] | None = None,
) -> tuple[ImportResult, Table | None]:
    """Import one file; ``progress(table)`` may return a callable that is told how many rows were done."""
    result = ImportResult(kind=kind, filename=filename, dry_run=dry_run)
    try:
        table = open_table(fh, filename=filename, spec=spec)
    except ImportFileError as exc:
        result.file_error = exc
        return result, None
    tick = progress(table) if progress is not None else None
    checker = make_checker()
    return run_import(table, checker, load, result=result, progress=tick, parallel=parallel), table
