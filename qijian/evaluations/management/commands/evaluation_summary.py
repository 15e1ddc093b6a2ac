"""``manage.py evaluation_summary 2026Q4 [--xlsx FILE] [--pdf FILE] [--as-of YYYY-MM-DD]``: the quarterly summary.

Prints the county figures in Chinese (and one line per department); writes the joint meeting's packet
(with the clue details) as .xlsx and/or PDF. Each file written is audited like a download.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qijian.evaluations.queries.summary import Figures, Summary, quarter_from, quarter_summary
from qijian.evaluations.summary_exports import export_summary
from qijian.evaluations.summary_tables import Preparer


def county_lines(summary: Summary) -> list[str]:
    c = summary.county
    return [
        f"{summary.quarter.label}涉企执法检查事后评价汇总(统计截至{summary.as_of.isoformat()})",
        f"回访:应回访 {c.follow_ups_due},已回访 {c.follow_ups_done}(其中超期完成 {c.follow_ups_late}),"
        f"逾期未回访 {c.follow_ups_overdue},未到期待回访 {c.follow_ups_pending}",
        f"评价答卷:{c.responses} 份(其中提出意见建议 {c.suggestions} 份);"
        f"满意度均分(5分制):{c.satisfaction_text};满意率:{c.satisfied_percent}",
        "满意度分布:" + ",".join(f"{k} {n}" for k, n in c.satisfaction.items()),
        f"问题线索:合计 {c.clue_total}(问卷 {c.answer_clue_total},投诉举报 {c.complaints_received},"
        f"未报备入企 {c.alert_clues['R01']},事后报备 {c.alert_clues['R02']})",
        f"投诉举报:收到 {c.complaints_received},已办结反馈 {c.complaints_replied},"
        f"办理中 {c.complaints_open},逾期未办结 {c.complaints_overdue}",
        f"纪检监察移送:提请 {c.referrals_proposed},已批准 {c.referrals_approved}",
    ]


def department_line(row: Figures) -> str:
    return (
        f"  {row.name}:应回访 {row.follow_ups_due},逾期 {row.follow_ups_overdue};答卷 {row.responses},"
        f"满意度 {row.satisfaction_text};问题线索 {row.clue_total};投诉 {row.complaints_received};"
        f"提请移送 {row.referrals_proposed}"
    )


class Command(BaseCommand):
    help = "打印季度涉企执法检查事后评价汇总(全县数据),并可导出联席会议材料(Excel / PDF)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("quarter", help="季度,如 2026Q4")
        parser.add_argument("--xlsx", metavar="FILE", help="导出 Excel 文件")
        parser.add_argument("--pdf", metavar="FILE", help="导出 PDF 文件")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="统计截至日期(默认今天,用于判断逾期)")
        parser.add_argument("--unit", default="", help="表头“填报单位”(默认联席会议办公室)")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = quarter_summary(_quarter(options["quarter"]), today=_day(options["as_of"]), details=True)
        for line in county_lines(summary):
            self.stdout.write(line)
        if summary.departments:
            self.stdout.write("各部门:")
        for row in summary.departments:
            self.stdout.write(department_line(row))
        preparer = Preparer(unit=options["unit"]) if options["unit"] else Preparer()
        for fmt in ("xlsx", "pdf"):
            if options[fmt]:
                Path(options[fmt]).write_bytes(export_summary(actor=None, summary=summary, fmt=fmt, preparer=preparer))
                self.stdout.write(self.style.SUCCESS(f"已导出 {options[fmt]}"))


def _quarter(text: str) -> Any:
    try:
        return quarter_from(text)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"无法识别的日期:{text}(应如 2027-01-10)") from exc
