from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import override_settings
from openpyxl import Workbook

from qijian.core.imports.errors import ImportFileError
from qijian.core.imports.reader import Table, open_table
from qijian.enterprises.importing import SPEC
from tests.imports.files import ENTERPRISE_HEADERS, enterprise_row, write_csv, write_xlsx


def open_path(path: Path) -> Table:
    return open_table(io.BytesIO(path.read_bytes()), filename=path.name, spec=SPEC)


def refusal(path: Path) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        open_path(path)
    return caught.value


def test_rows_carry_spreadsheet_row_numbers_across_blank_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1), [], enterprise_row(2)])
    rows = list(open_path(path).rows())
    assert [n for n, _ in rows] == [2, 4]
    assert rows[1][1]["name"] == "沧县测试2有限公司"


def test_gbk_csv_is_detected(tmp_path: Path) -> None:
    table = open_path(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1)], encoding="gbk"))
    assert table.encoding == "GBK/GB18030" and next(table.rows())[1]["township"] == "旧州镇"


def test_undecodable_csv_gets_a_chinese_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes("统一社会信用代码,企业名称\n".encode() + b"\x81\x20\xff\xfe,x\n")
    assert "无法识别文件编码" in refusal(path).message


def test_header_names_with_asterisk_and_spaces_and_aliases_are_mapped(tmp_path: Path) -> None:
    headers = ["统一社会信用代码*", " 企业名称 ", *ENTERPRISE_HEADERS[2:6], "法定代表人/负责人", "错误信息"]
    path = write_csv(tmp_path / "e.csv", [headers, [*enterprise_row(1)[:7], "旧错误"]])
    row = next(open_path(path).rows())[1]
    assert row["legal_representative"] == "赵六" and "contact_name" not in row


def test_missing_required_header_is_named(tmp_path: Path) -> None:
    headers = [h for h in ENTERPRISE_HEADERS if h != "住所"]
    error = refusal(write_csv(tmp_path / "e.csv", [headers, ["x"] * len(headers)]))
    assert error.row == 1 and error.column == "住所" and "缺少必填列" in error.message


def test_unknown_header_is_named(tmp_path: Path) -> None:
    error = refusal(write_csv(tmp_path / "e.csv", [[*ENTERPRISE_HEADERS, "备注栏"], [*enterprise_row(1), "x"]]))
    assert error.column == "备注栏" and "无法识别的列名" in error.message


def test_file_without_header_row_is_refused(tmp_path: Path) -> None:
    error = refusal(write_csv(tmp_path / "e.csv", [enterprise_row(1), enterprise_row(2)]))
    assert "未找到表头行" in error.message


def test_header_only_file_is_refused(tmp_path: Path) -> None:
    assert "没有数据行" in refusal(write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS])).message


def test_empty_sheet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    assert "文件为空" in refusal(path).message


def test_zero_byte_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(b"")
    assert refusal(path).message == "文件为空"


def test_xlsx_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("统一社会信用代码,企业名称\n", encoding="utf-8")
    assert "不是有效的 .xlsx 文件" in refusal(path).message


def test_corrupt_zip_named_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 20)
    assert "不是有效的 .xlsx 文件" in refusal(path).message


def test_binary_junk_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 50)
    assert "二进制" in refusal(path).message


def test_xlsx_content_named_csv_is_refused(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "e.xlsx", [ENTERPRISE_HEADERS, enterprise_row(1)])
    path = tmp_path / "e.csv"
    path.write_bytes(source.read_bytes())
    assert "二进制" in refusal(path).message


@pytest.mark.parametrize("name", ["e.xls", "e.txt", "e"])
def test_unsupported_extension_is_refused(tmp_path: Path, name: str) -> None:
    path = write_csv(tmp_path / name, [ENTERPRISE_HEADERS, enterprise_row(1)])
    assert ".xlsx" in refusal(path).message


@override_settings(QJ_IMPORT_MAX_BYTES=200)
def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [ENTERPRISE_HEADERS, enterprise_row(1), enterprise_row(2)])
    assert "文件过大" in refusal(path).message


def test_xlsx_numbers_and_dates_become_text_and_dates(tmp_path: Path) -> None:
    import datetime as dt

    path = write_xlsx(tmp_path / "e.xlsx", [ENTERPRISE_HEADERS, enterprise_row(1, 联系电话=13800000001.0)])
    row = next(open_path(path).rows())[1]
    assert row["contact_phone"] == "13800000001" and not isinstance(row["established_on"], dt.date)
