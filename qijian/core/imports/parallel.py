"""Checking the rows of a large CSV file in worker processes while the main process loads them.

The main process reads the file's lines and hands blocks of them (``Block``) to a pool of worker
processes forked before the load starts, so the workers inherit the checker and its lookups
(industries, townships, codes already registered) without pickling them; they never touch the database
connection. Each worker parses its block (csv.reader), maps the records to rows, checks them with a
fresh checker, prepares the accepted rows for loading (``Parallel.encode``, e.g. COPY text) and returns
them with the block's issues and the keys (credit codes) it saw. The main process takes the results in
file order, reports keys repeated anywhere in the file exactly where the serial checker would have,
loads the prepared blocks, and after the first error stops loading but keeps checking, so the report
names every problem. The issues are the same, in the same order, as the serial path's.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from qijian.core.imports.errors import InvalidRowsError, Issues, RowIssue
from qijian.core.imports.reader import Block, Cell, Table

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
B = TypeVar("B")
Key = tuple[int, str, int]  # (row number, key, how many of the batch's issues came before its repeat check)
_AHEAD = 2  # batches queued per worker beyond the one it is checking


class BatchChecker(Protocol[T_co]):
    """A row checker that can check one batch on its own and leave repeated keys to ``repeat``."""

    issues: Issues
    keys: list[Key] | None

    def check(self, row_no: int, row: dict[str, Cell]) -> T_co | None: ...

    def for_batch(self) -> BatchChecker[T_co]:
        """A fresh checker with the same lookups that records its keys instead of checking repeats."""
        ...

    def repeat(self, row_no: int, key: str) -> None:
        """Report ``key`` if an earlier row of the file had it (as the serial check would)."""


@dataclass(frozen=True)
class Parallel(Generic[T, B]):
    """How to check a large file in parallel: ``encode`` runs in a worker, ``load`` in the main process."""

    encode: Callable[[list[T]], B]
    load: Callable[[Iterator[B], int], int]
    workers: int = 2
    batch_rows: int = 5000
    min_rows: int = 50_000

    def applies(self, table: Table) -> bool:
        return self.workers > 0 and table.is_csv and table.estimated_rows >= self.min_rows


@dataclass
class _Job:
    table: Table
    checker: BatchChecker[Any]
    encode: Callable[[list[Any]], Any]


_JOB: _Job | None = None  # set before the workers are forked; they inherit it


def _check_batch(block: Block) -> tuple[Any, list[RowIssue], list[Key], int]:
    """In a worker: parse and check one block; encode its rows unless one of them had an error."""
    assert _JOB is not None
    table, checker = _JOB.table, _JOB.checker.for_batch()
    row, check, accepted, count = table.row, checker.check, [], 0
    for row_no, record in table.block_records(block):
        values = check(row_no, row(record))
        count += 1
        if values is not None:
            accepted.append(values)
    encoded = None if checker.issues.error_count or not accepted else _JOB.encode(accepted)
    return encoded, checker.issues.items, checker.keys or [], count


@contextmanager
def worker_pool(table: Table, checker: BatchChecker[Any], options: Parallel[Any, Any]) -> Iterator[ProcessPoolExecutor]:
    """Fork the workers now (before any database write) and always shut them down, also on errors."""
    global _JOB
    _JOB = _Job(table, checker, options.encode)
    executor = ProcessPoolExecutor(options.workers, mp_context=multiprocessing.get_context("fork"))
    try:
        executor.submit(int).result()  # with 'fork', the first task starts every worker
        yield executor
    finally:
        _JOB = None
        executor.shutdown(wait=True, cancel_futures=True)


def _in_order(executor: ProcessPoolExecutor, blocks: Iterator[Block], ahead: int) -> Iterator[Any]:
    """Results in submission order, with at most ``ahead`` batches in flight (a dead worker raises)."""
    pending: deque[Future[Any]] = deque()
    for block in blocks:
        pending.append(executor.submit(_check_batch, block))
        if len(pending) > ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@dataclass
class ParallelPass(Generic[T, B]):
    """Like the runner's serial pass, but yields encoded batches checked by the workers."""

    table: Table
    checker: BatchChecker[T]
    options: Parallel[T, B]
    executor: ProcessPoolExecutor
    progress: Callable[[int], object] | None
    rows: int = 0

    def __iter__(self) -> Iterator[B]:
        issues, progress = self.checker.issues, self.progress
        blocks = self.table.source.blocks(self.options.batch_rows)  # type: ignore[union-attr]
        for encoded, items, keys, count in _in_order(self.executor, blocks, _AHEAD * self.options.workers):
            self._merge(items, keys)
            self.rows += count
            if encoded is not None and not issues.error_count:
                yield encoded
            if progress is not None:
                progress(count)
        if issues.error_count:
            raise InvalidRowsError

    def _merge(self, items: list[RowIssue], keys: list[Key]) -> None:
        """Add a batch's issues, with each repeated key reported where the serial check puts it."""
        issues, repeat, done = self.checker.issues, self.checker.repeat, 0
        if not items:  # the common case, kept cheap: this runs for every row of the file
            for row_no, key, _ in keys:
                repeat(row_no, key)
            return
        for row_no, key, position in keys:
            issues.extend(items[done:position])
            done = position
            repeat(row_no, key)
        issues.extend(items[done:])
