"""Writing small upload files for the import tests (generated in tmp_path, never committed)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from qijian.core.codes.uscc import make_uscc

ENTERPRISE_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "市场主体类型",
    "行业代码",
    "所在乡镇",
    "住所",
    "法定代表人",
    "联系人",
    "联系电话",
    "经营状态",
    "成立日期",
]
INSPECTOR_HEADERS = ["姓名", "执法证号", "所属部门", "证件有效期起", "证件有效期至", "状态", "联系电话"]


def code(i: int) -> str:
    return make_uscc("91130921", f"TA{i:06d}")


def enterprise_row(i: int, **changes: Any) -> list[Any]:
    row = {
        "统一社会信用代码": code(i),
        "企业名称": f"沧县测试{i}有限公司",
        "市场主体类型": "公司",
        "行业代码": "C13",
        "所在乡镇": "旧州镇",
        "住所": f"沧县旧州镇{i}号",
        "法定代表人": "赵六",
        "联系人": "钱七",
        "联系电话": "13800000000",
        "经营状态": "存续",
        "成立日期": "2020-01-31",
    }
    row.update(changes)
    return [row[h] for h in ENTERPRISE_HEADERS]


def inspector_row(i: int, department: str = "CX-YJ", **changes: Any) -> list[Any]:
    row = {
        "姓名": f"执法员{i}",
        "执法证号": f"1309219{i:05d}",
        "所属部门": department,
        "证件有效期起": "2024-01-01",
        "证件有效期至": "2028/12/31",
        "状态": "在岗",
        "联系电话": "",
    }
    row.update(changes)
    return [row[h] for h in INSPECTOR_HEADERS]


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path
