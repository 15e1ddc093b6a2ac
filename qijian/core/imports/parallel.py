"""Checking the rows of a large CSV file in worker processes while the main process loads them.

The main process reads the file's lines and hands blocks of them (``Block``) to a pool of worker
processes forked before the load starts, so the workers inherit the checker and its lookups
(industries, townships, codes already registered) without pickling them; they never touch the database
connection. Each worker parses its block (csv.reader) and checks its records with a fresh checker
(``check_plain``, which may check a block of plain lines column by column, or row by row with
``check_each``), prepares the accepted rows for loading (``Parallel.encode``, e.g. COPY text) and
returns them with the block's issues and the keys (credit codes) it saw. The main process takes the results in
file order, reports keys repeated anywhere in the file exactly where the serial checker would have,
loads the prepared blocks, and after the first error stops loading but keeps checking, so the report
names every problem. The issues are the same, in the same order, as the serial path's.
"""

from __future__ import annotations

import gc
import multiprocessing
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Generic, Protocol, TypeVar

from qijian.core.imports.errors import InvalidRowsError, Issues, RowIssue
from qijian.core.imports.reader import Block, Cell, Record, Table

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

    def check_plain(self, table: Table, first: int, records: list[Record]) -> tuple[Sequence[T_co], int]:
        """``check`` every non-blank record (record i is row ``first + i``, see ``Table.plain_records``).

        Returns the accepted values and the number of non-blank records; ``check_each`` does it plainly.
        """
        ...

    def for_batch(self) -> BatchChecker[T_co]:
        """A fresh checker with the same lookups that records its keys instead of checking repeats."""
        ...

    def repeat(self, row_no: int, key: str) -> None:
        """Report ``key`` if an earlier row of the file had it (as the serial check would)."""

    def repeat_all(self, keys: list[Key]) -> None:
        """``repeat(row_no, key)`` for each of the keys, in order."""


class FirstRows:
    """The row where each key (e.g. a credit code) first appeared, across a file of millions of rows.

    As long as no key repeats, a batch's keys only go into a set, in C and one hash-table step each
    (a dictionary of a million keys costs twice that: a look-up and an insertion per key); the first
    repeat builds the mapping from the kept batches, once.
    """

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._batches: list[tuple[list[str], array[int]]] = []  # (keys, their rows), compactly
        self._first: dict[str, int] | None = None

    def add_new(self, keys: list[Key]) -> bool:
        """Record a batch's keys when all of them are new (seen neither before nor twice here).

        Otherwise record nothing and return False: the caller then calls ``setdefault`` for each key.
        """
        if self._first is None:
            count, names = len(self._keys), list(map(itemgetter(1), keys))
            self._keys.update(names)
            if len(self._keys) - count == len(keys):
                self._batches.append((names, array("q", map(itemgetter(0), keys))))
                return True
            self._mapping()  # from the earlier batches only: the set is dropped
        return False

    def setdefault(self, key: str, row_no: int) -> int:
        """The first row of ``key``, which is ``row_no`` if the key is new."""
        return self._mapping().setdefault(key, row_no)

    def _mapping(self) -> dict[str, int]:
        if self._first is None:
            self._first = {}
            for names, rows in self._batches:
                self._first.update(zip(names, rows, strict=True))
            self._keys, self._batches = set(), []
        return self._first


@dataclass(frozen=True)
class Parallel(Generic[T, B]):
    """How to check a large file in parallel: ``encode`` runs in a worker, ``load`` in the main process."""

    encode: Callable[[Sequence[T]], B]
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
    encode: Callable[[Sequence[Any]], Any]


_JOB: _Job | None = None  # set before the workers are forked; they inherit it


def check_each(
    checker: BatchChecker[T], table: Table, numbered: Iterable[tuple[int, Record]]
) -> tuple[Sequence[T], int]:
    """``check`` each (row number, record): the accepted values and the number of records."""
    row, check, count = table.row, checker.check, 0
    accepted: list[T] = []
    for row_no, record in numbered:
        values = check(row_no, row(record))
        count += 1
        if values is not None:
            accepted.append(values)
    return accepted, count


def _check_batch(block: Block) -> tuple[Any, list[RowIssue], list[Key], int]:
    """In a worker: parse and check one block; encode its rows unless one of them had an error.

    The cyclic garbage collector is paused meanwhile: a block makes tens of thousands of short-lived
    lists and tuples (no cycles among them), and collecting them would cost a good part of the time.
    """
    gc.disable()
    try:
        return _check_block(block)
    finally:
        gc.enable()


def _check_block(block: Block) -> tuple[Any, list[RowIssue], list[Key], int]:
    assert _JOB is not None
    table, checker = _JOB.table, _JOB.checker.for_batch()
    records = table.plain_records(block)
    if records is None:
        accepted, count = check_each(checker, table, table.block_records(block))
    else:
        accepted, count = checker.check_plain(table, block.first, records)
    encoded = None if checker.issues.error_count or not accepted else _JOB.encode(accepted)
    return encoded, checker.issues.items, checker.keys or [], count


@contextmanager
def worker_pool(table: Table, checker: BatchChecker[Any], options: Parallel[Any, Any]) -> Iterator[ProcessPoolExecutor]:
    """Fork the workers now (before any database write) and always shut them down, also on errors."""
    global _JOB
    _JOB = _Job(table, checker, options.encode)
    context = multiprocessing.get_context("fork")
    # gc.freeze: the collector in a worker leaves alone what it inherited (lookups of up to millions of codes).
    executor = ProcessPoolExecutor(options.workers, mp_context=context, initializer=gc.freeze)
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
            self.checker.repeat_all(keys)
            return
        for row_no, key, position in keys:
            issues.extend(items[done:position])
            done = position
            repeat(row_no, key)
        issues.extend(items[done:])
