"""The parallel check of large CSV files gives exactly the serial path's result (forced here on small files)."""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from qijian.audit.models import AuditEvent
from qijian.core.imports.parallel import FirstRows, Parallel
from qijian.core.imports.runner import ImportResult, run_import
from qijian.core.testing import County
from qijian.enterprises.importing import SPEC, EnterpriseChecker, EnterpriseLookups, import_enterprises
from qijian.enterprises.models import Enterprise
from tests.imports.files import ENTERPRISE_HEADERS, code, enterprise_row, write_csv

pytestmark = pytest.mark.django_db
BATCH = 4  # rows 2-5 are the first batch, 6-9 the second, ...
Outcome = tuple[ImportResult, list[tuple[Any, ...]], str]


def run(path: Path, *, workers: int, progress: list[int] | None = None) -> ImportResult:
    def tick(_: object) -> Any:
        return progress.append if progress is not None else None

    with path.open("rb") as fh:
        result, _ = import_enterprises(
            fh, filename=path.name, actor=None, workers=workers, batch_rows=BATCH, parallel_min_rows=0, progress=tick
        )
    return result


def loaded() -> list[tuple[Any, ...]]:
    fields = ("uscc", "uscc_status", "name", "type", "industry", "township", "status", "established_on")
    return list(Enterprise.objects.order_by("uscc").values_list(*fields))


def digest() -> str:
    event = AuditEvent.objects.filter(action="enterprises.import").order_by("-seq").first()
    return str(event.after["uscc_sm3"]) if event is not None else ""


def outcome(path: Path, workers: int) -> Outcome:
    """Import with ``workers`` (0: the serial path) and roll back, so both paths start from the same state."""
    with transaction.atomic():
        result = run(path, workers=workers)
        state = (result, loaded(), digest())
        transaction.set_rollback(True)
    return state


def same_as_serial(path: Path) -> Outcome:
    serial, parallel = outcome(path, 0), outcome(path, 2)
    assert parallel[0].issues.items == serial[0].issues.items
    assert parallel[0].issues.error_count == serial[0].issues.error_count
    assert (parallel[0].rows, parallel[0].created, parallel[0].ok) == (serial[0].rows, serial[0].created, serial[0].ok)
    assert parallel[1:] == serial[1:]
    return parallel


def csv_of(tmp_path: Path, rows: list[list[Any]]) -> Path:
    return write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, *rows])


def pilot(i: int) -> str:
    valid = code(i)
    return valid[:-1] + ("0" if valid[-1] != "0" else "1")


def test_clean_file_loads_the_same_rows_and_audit_digest_in_parallel(county: County, tmp_path: Path) -> None:
    result, rows, sm3 = same_as_serial(csv_of(tmp_path, [enterprise_row(i) for i in range(1, 15)]))
    assert result.ok and result.created == 14 and len(rows) == 14 + 2 and sm3


def test_errors_in_several_batches_are_reported_alike_and_nothing_is_written(county: County, tmp_path: Path) -> None:
    rows = [enterprise_row(i) for i in range(1, 19)]
    rows[0] = enterprise_row(1, 所在乡镇="不存在镇", 成立日期="去年")
    rows[9] = enterprise_row(10, 企业名称="", 行业代码="Z99")
    rows[16] = enterprise_row(17, 统一社会信用代码="91130921ABCDEFGHI$")
    result, loaded_rows, _ = same_as_serial(csv_of(tmp_path, rows))
    assert {i.row for i in result.issues.items} == {2, 11, 18} and result.issues.error_count == 5
    assert result.created == 0 and len(loaded_rows) == 2  # only build_county's


def test_duplicates_within_one_batch_name_both_rows(county: County, tmp_path: Path) -> None:
    rows = [enterprise_row(i) for i in range(1, 9)]
    rows[2] = enterprise_row(3, 统一社会信用代码=code(1), 企业名称="")
    result, _, _ = same_as_serial(csv_of(tmp_path, rows))
    assert [(i.row, i.message) for i in result.issues.items if "重复" in i.message] == [
        (4, "与第2行的统一社会信用代码重复"),
        (2, "与第4行的统一社会信用代码重复"),
    ]


def test_duplicates_across_batches_name_both_rows_once(county: County, tmp_path: Path) -> None:
    rows = [enterprise_row(i) for i in range(1, 15)]
    rows[6] = enterprise_row(7, 统一社会信用代码=code(1))  # row 8, second batch
    rows[7] = enterprise_row(8, 统一社会信用代码=code(1))  # row 9, same batch as row 8
    rows[12] = enterprise_row(13, 统一社会信用代码=county.enterprise.uscc)  # already registered
    result, _, _ = same_as_serial(csv_of(tmp_path, rows))
    assert [(i.row, i.message) for i in result.issues.items][:4] == [
        (8, "与第2行的统一社会信用代码重复"),
        (2, "与第8行的统一社会信用代码重复"),
        (9, "与第2行的统一社会信用代码重复"),
        (2, "与第9行的统一社会信用代码重复"),
    ]
    assert result.issues.error_count == 5


def test_pilot_code_warning_and_its_duplicate_keep_their_order(county: County, tmp_path: Path) -> None:
    rows = [enterprise_row(i) for i in range(1, 11)]
    rows[1] = enterprise_row(2, 统一社会信用代码=pilot(2))
    result, _, _ = same_as_serial(csv_of(tmp_path, rows))
    assert result.ok and [i.level for i in result.issues.items] == ["warning"]
    rows[8] = enterprise_row(9, 统一社会信用代码=pilot(2), 住所="")
    result, _, _ = same_as_serial(csv_of(tmp_path, rows))
    assert [(i.row, i.level) for i in result.issues.items] == [
        (3, "warning"),
        (10, "warning"),
        (10, "error"),
        (3, "error"),
        (10, "error"),
    ]


def test_parallel_progress_ticks_add_up_to_the_rows(county: County, tmp_path: Path) -> None:
    ticks: list[int] = []
    result = run(csv_of(tmp_path, [enterprise_row(i) for i in range(1, 11)]), workers=2, progress=ticks)
    assert result.ok and ticks == [3, 4, 3]  # the first block of 4 lines holds the header


def _die(rows: Any) -> Any:
    os._exit(3)  # a worker killed in the middle of a batch


def _unused_load(batches: Any, expected: int) -> int:
    return sum(1 for _ in batches)


def test_dead_worker_raises_instead_of_hanging_and_writes_nothing(county: County, tmp_path: Path) -> None:
    from qijian.core.imports.reader import open_table

    path = csv_of(tmp_path, [enterprise_row(i) for i in range(1, 11)])
    parallel: Parallel[Any, Any] = Parallel(_die, _unused_load, workers=2, batch_rows=BATCH, min_rows=0)
    with path.open("rb") as fh, pytest.raises(BrokenProcessPool):
        table = open_table(fh, filename=path.name, spec=SPEC)
        checker = EnterpriseChecker(EnterpriseLookups.load())
        run_import(table, checker, _unused_load, result=ImportResult("enterprises", path.name), parallel=parallel)
    assert not Enterprise.objects.filter(uscc=code(1)).exists()


def test_quoted_line_breaks_and_blank_rows_keep_row_numbers(county: County, tmp_path: Path) -> None:
    rows: list[list[Any]] = [enterprise_row(i) for i in range(1, 13)]
    rows[2] = enterprise_row(3, 住所='沧县"旧州",\n第3号\n院内')  # one record over three lines
    rows[4] = [""] * len(ENTERPRISE_HEADERS)  # a blank row is skipped but keeps its number
    rows[10] = enterprise_row(11, 所在乡镇="不存在镇")
    result, _, _ = same_as_serial(csv_of(tmp_path, rows))
    assert [i.row for i in result.issues.items] == [12] and result.rows == 11


def test_rows_a_column_check_fails_are_checked_one_by_one_alike(county: County, tmp_path: Path) -> None:
    """Batches of plain lines are checked column by column; every unusual row must come out as serially."""
    rows: list[list[Any]] = [enterprise_row(i) for i in range(1, 26)]
    rows[1] = enterprise_row(2, 行业代码="c13", 所在乡镇=" 旧州镇 ")  # lower case, spaces: accepted
    rows[2] = enterprise_row(3, 成立日期="2020/1/31", 经营状态="")  # another date form, default status
    rows[3] = enterprise_row(4, 成立日期="2020-02-30")  # no such day
    rows[5] = enterprise_row(6)[:5]  # a short record
    rows[6] = [" "] * len(ENTERPRISE_HEADERS)  # blank, in the middle of a batch
    rows[7] = enterprise_row(8, 统一社会信用代码=code(8).lower())  # accepted, upper-cased
    rows[9] = enterprise_row(10, 统一社会信用代码=pilot(10))  # a warning only
    rows[10] = enterprise_row(11, 统一社会信用代码=county.enterprise.uscc)  # registered already
    rows[13] = enterprise_row(14, 联系电话="1" * 40, 所在乡镇="130921101")  # too long; township by code
    rows[17] = enterprise_row(18, 法定代表人="", 市场主体类型="公司 ")
    rows[18] = enterprise_row(19, 成立日期="", 经营状态="注销")
    rows[21] = enterprise_row(22, 统一社会信用代码=code(21))  # repeats the row before
    result, _, _ = same_as_serial(csv_of(tmp_path, rows))
    assert {i.row for i in result.issues.items} == {5, 7, 11, 12, 15, 19, 22, 23}
    rows[3], rows[5], rows[10], rows[13], rows[17], rows[21] = (enterprise_row(i) for i in (4, 6, 11, 14, 18, 22))
    result, loaded_rows, _ = same_as_serial(csv_of(tmp_path, rows))
    assert result.ok and result.created == 24 and [i.level for i in result.issues.items] == ["warning"]
    assert (code(8), "valid", "沧县测试8有限公司") in {row[:3] for row in loaded_rows}


def test_a_file_without_the_optional_columns_is_checked_alike(county: County, tmp_path: Path) -> None:
    rows = [enterprise_row(i)[:7] for i in range(1, 12)]
    rows[8][0] = "91130921"
    result, _, _ = same_as_serial(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS[:7], *rows]))
    assert [i.row for i in result.issues.items] == [10] and result.rows == 11


def test_old_mac_line_breaks_split_rows_alike(county: County, tmp_path: Path) -> None:
    rows = [enterprise_row(i) for i in range(1, 12)]
    rows[6] = enterprise_row(7, 行业代码="Z99")
    path = tmp_path / "e.csv"
    path.write_text("\r".join(",".join(row) for row in [ENTERPRISE_HEADERS, *rows]) + "\r", encoding="utf-8")
    result, _, _ = same_as_serial(path)
    assert [i.row for i in result.issues.items] == [8] and result.rows == 11


def test_first_rows_turn_into_a_mapping_at_the_first_repeat() -> None:
    seen = FirstRows()
    assert seen.add_new([(2, "A", 0), (3, "B", 0)]) and seen.add_new([])
    assert not seen.add_new([(4, "C", 0), (5, "A", 0)])  # nothing recorded: the caller goes key by key
    assert [seen.setdefault(key, row_no) for row_no, key in ((4, "C"), (5, "A"))] == [4, 2]
    assert not seen.add_new([(6, "D", 0)]) and seen.setdefault("B", 7) == 3 and seen.setdefault("D", 6) == 6
