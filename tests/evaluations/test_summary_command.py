"""``manage.py evaluation_summary``: the county figures in Chinese, and the packet's files."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from qijian.audit.models import AuditEvent
from qijian.core.testing import County
from tests.evaluations import summary_factories as f

NOV = dt.date(2026, 11, 16)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("evaluation_summary", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_county_figures_in_chinese(county: County) -> None:
    for satisfaction in ("非常满意", "满意", "不满意"):
        f.respond(county, day=NOV, satisfaction=satisfaction)
    f.follow_up(county, due_on=dt.date(2026, 12, 1))
    f.complaint(county, day=NOV)
    text = _run("2026Q4", "--as-of", "2027-01-10")
    assert "2026年第4季度涉企执法检查事后评价汇总(统计截至2027-01-10)" in text
    assert "应回访 4,已回访 3" in text and "逾期未回访 1" in text
    assert "满意度均分(5分制):3.67" in text
    assert "投诉举报:收到 1" in text and "县应急管理局" in text


def test_the_command_writes_the_xlsx_and_pdf_and_audits_them(county: County, tmp_path: Path) -> None:
    f.respond(county, day=NOV)
    xlsx, pdf = tmp_path / "s.xlsx", tmp_path / "s.pdf"
    text = _run("2026Q4", "--xlsx", str(xlsx), "--pdf", str(pdf), "--unit", "县司法局")
    assert f"已导出 {xlsx}" in text and pdf.read_bytes().startswith(b"%PDF")
    assert load_workbook(xlsx)["汇总"]["A2"].value == "填报单位：县司法局"
    assert AuditEvent.objects.filter(action="evaluations.export_summary").count() == 2


@pytest.mark.parametrize("args", [("2026Q7",), ("2026Q4", "--as-of", "yesterday")])
def test_bad_arguments_are_refused_in_chinese(db: None, args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError, match="无法识别"):
        _run(*args)
