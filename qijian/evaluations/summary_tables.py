"""The quarterly summary laid out as the tables of the joint meeting's packet (shared by .xlsx and PDF).

Each table follows the attachments' conventions (policy/attachments.md): a title, the header block
(填报单位 / 填报人 / 联系电话 / 填报日期 and the period), numbered rows (序号), a 全县合计 row where
totals make sense, and the signature line. Satisfaction cells of a group below ``evaluation.min_group``
answers read "样本不足".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from qijian.evaluations.queries.summary import (
    CLUE_LABELS,
    CLUE_RULES,
    INSUFFICIENT,
    RULE_LABELS,
    SATISFACTION_SCORES,
    Figures,
    Summary,
)
from qijian.org.models import Region
from qijian.policy.loader import figure

Cell = str | int | float
SIGNATURE = "单位负责人：____________（盖章）"
BLANK = "____________"
DETAILS_SHEET = "问题线索明细"
OFFICE_NAME = "沧县涉企执法检查联席会议办公室"  # 机制一: 联席会议办公室设在县发改局


@dataclass(frozen=True)
class Preparer:
    """Who fills the header block in: the reader's department and name, or blanks to write by hand."""

    unit: str = OFFICE_NAME
    filler: str = BLANK
    phone: str = BLANK
    filed_on: str = ""

    @classmethod
    def of(cls, user: Any) -> Preparer:
        department = getattr(user, "department", None)
        name = (user.get_full_name() or user.username) if user is not None else ""
        return cls(
            unit=department.name if department else OFFICE_NAME,
            filler=name or BLANK,
            phone=(department.contact_phone if department else "") or BLANK,
        )

    def block(self, period: str) -> tuple[str, str, str, str, str]:
        """The five texts of the header block: 填报单位, period, 填报人, 联系电话, 填报日期."""
        filed_on = self.filed_on or timezone.localdate().isoformat()
        return (
            f"填报单位：{self.unit}",
            period,
            f"填报人：{self.filler}",
            f"联系电话：{self.phone}",
            f"填报日期：{filed_on}",
        )


@dataclass
class Table:
    sheet: str  # sheet name (汇总 / 满意度 / 问题线索 / 回访 / 投诉与移送)
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    total: list[Cell] | None = None
    widths: list[int] = field(default_factory=list)
    chart: str = ""  # the header whose column a bar chart shows per department ("" = none)
    note: str = ""

    @property
    def display_rows(self) -> list[list[Cell]]:
        """The rows as pages print them: scores with two decimals (the workbook keeps numbers)."""
        return [[_shown(v) for v in row] for row in self.rows]

    @property
    def display_total(self) -> list[Cell] | None:
        return [_shown(v) for v in self.total] if self.total else None

    @property
    def is_details(self) -> bool:
        return self.sheet == DETAILS_SHEET


def _shown(value: Cell) -> Cell:
    return f"{value:.2f}" if isinstance(value, float) else value


def county_name() -> str:
    code = str(figure("meta.region_code"))
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or "沧县"


def period(summary: Summary) -> str:
    return f"期间：{summary.quarter.label}（截至{summary.as_of.isoformat()}）"


def _numbered(rows: list[Figures], cells: Any) -> list[list[Cell]]:
    return [[n, row.name, *cells(row)] for n, row in enumerate(rows, start=1)]


def _total(summary: Summary, cells: Any) -> list[Cell]:
    return ["", summary.county.name, *cells(summary.county)]


def _overview(row: Figures) -> list[Cell]:
    return [
        row.follow_ups_due,
        row.follow_ups_done,
        row.follow_ups_overdue,
        row.responses,
        row.satisfaction_text,
        row.suggestions,
        row.clue_total,
        row.complaints_received,
        row.complaints_overdue,
        row.referrals_proposed,
        row.referrals_approved,
    ]


def _satisfaction(row: Figures) -> list[Cell]:
    counts: list[Cell] = list(row.satisfaction.values()) if row.sample_ok else [INSUFFICIENT] * len(SATISFACTION_SCORES)
    average = row.satisfaction_average
    return [row.responses, *counts, row.satisfied_percent, INSUFFICIENT if average is None else average]


def _clues(row: Figures) -> list[Cell]:
    answers: list[Cell] = [INSUFFICIENT if row.clues_hidden else row.answer_clues[c] for c in CLUE_LABELS]
    return [*answers, row.complaints_received, *(row.alert_clues[r] for r in CLUE_RULES), row.clue_total]


def _follow_ups(row: Figures) -> list[Cell]:
    on_time = row.follow_ups_done - row.follow_ups_late
    rate = f"{100 * on_time / row.follow_ups_due:.1f}%" if row.follow_ups_due else "—"
    return [
        row.follow_ups_due,
        row.follow_ups_done,
        on_time,
        row.follow_ups_late,
        row.follow_ups_overdue,
        row.follow_ups_pending,
        rate,
    ]


def _complaints(row: Figures) -> list[Cell]:
    return [
        row.complaints_received,
        row.complaints_replied,
        row.complaints_open,
        row.complaints_overdue,
        row.referrals_proposed,
        row.referrals_approved,
    ]


def title_prefix(summary: Summary) -> str:
    return f"{county_name()}涉企执法检查{summary.quarter.label}"


def _table(summary: Summary, prefix: str, sheet: str, title: str, headers: list[str], cells: Any, **kw: Any) -> Table:
    rows = _numbered(summary.departments, cells)
    total = None if summary.department_only else _total(summary, cells)
    return Table(sheet, f"{prefix}{title}", headers, rows, total, **kw)


def overview_table(summary: Summary, prefix: str) -> Table:
    headers = ["序号", "部门", "应回访", "已回访", "逾期未回访", "答卷数", "满意度均分", "意见建议", "问题线索"]
    headers += ["投诉举报", "逾期未办结投诉", "提请移送", "批准移送"]
    widths = [6, 22] + [10] * 11
    return _table(summary, prefix, "汇总", "事后评价汇总表", headers, _overview, widths=widths)


def satisfaction_table(summary: Summary, prefix: str) -> Table:
    headers = ["序号", "部门", "答卷数", *SATISFACTION_SCORES, "满意率", "满意度均分(5分制)"]
    note = f"满意率为非常满意、满意、基本满意之和的占比;答卷少于{summary.min_group}份的部门显示“{INSUFFICIENT}”。"
    return _table(
        summary,
        prefix,
        "满意度",
        "企业满意度统计表",
        headers,
        _satisfaction,
        widths=[6, 22] + [10] * 8,
        chart="满意度均分(5分制)",
        note=note,
    )


def clue_table(summary: Summary, prefix: str) -> Table:
    headers = ["序号", "部门", *CLUE_LABELS.values(), "投诉举报", *(RULE_LABELS[r] for r in CLUE_RULES), "合计"]
    note = "问卷线索为企业答卷中的问题答案(按题目统计,不含企业名称);投诉举报与未报备入企、事后报备预警一并计入。"
    return _table(summary, prefix, "问题线索", "问题线索统计表", headers, _clues, widths=[6, 18] + [9] * 13, note=note)


def detail_table(summary: Summary, prefix: str) -> Table:
    headers = ["序号", "类别", "日期", "部门", "企业", "线索", "具体情况", "移送建议"]
    rows: list[list[Cell]] = [
        [n, d.kind, d.day.isoformat(), d.department, d.enterprise, d.what, d.note, d.advice]
        for n, d in enumerate(summary.details, start=1)
    ]
    return Table(
        DETAILS_SHEET, f"{prefix}问题线索和意见建议明细表", headers, rows, widths=[6, 8, 12, 18, 22, 22, 40, 24]
    )


def follow_up_table(summary: Summary, prefix: str) -> Table:
    headers = ["序号", "部门", "应回访", "已回访", "按期回访", "超期回访", "逾期未回访", "未到期待回访", "按期回访率"]
    note = f"应回访为回访期限在本季度内的回访任务(检查后{figure('follow_up.days')}日内回访)。"
    return _table(
        summary,
        prefix,
        "回访",
        "回访情况统计表",
        headers,
        _follow_ups,
        widths=[6, 22] + [11] * 7,
        chart="逾期未回访",
        note=note,
    )


def complaint_table(summary: Summary, prefix: str) -> Table:
    headers = ["序号", "部门", "收到投诉举报", "已办结反馈", "办理中", "逾期未办结", "提请纪检监察移送", "已批准移送"]
    return _table(
        summary, prefix, "投诉与移送", "投诉举报与纪检监察移送统计表", headers, _complaints, widths=[6, 22] + [13] * 6
    )


def packet_tables(summary: Summary) -> list[Table]:
    """The five tables of the packet (汇总 / 满意度 / 问题线索 / 回访 / 投诉与移送)."""
    prefix = title_prefix(summary)
    makers = (overview_table, satisfaction_table, clue_table, follow_up_table, complaint_table)
    return [make(summary, prefix) for make in makers]


def chart_series(table: Table) -> list[tuple[str, float]]:
    """(department, value) of the table's chart column; departments without a number are left out."""
    if not table.chart:
        return []
    column = table.headers.index(table.chart)
    return [(str(row[1]), float(row[column])) for row in table.rows if isinstance(row[column], int | float)]
