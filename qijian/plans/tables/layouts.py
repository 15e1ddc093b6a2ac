"""What each table holds: its title, its exact Chinese headers, and how a plan entry becomes a row.

The headers are those of ``policy/attachments.md`` letter for letter (county staff recognise them);
the importer accepts each header as written or without its parenthesised hint. Cell formats, shared
by the export and the import so that a round trip loses nothing:

- 检查对象: "名称(统一社会信用代码)" per target enterprise, then the target rule, joined by "；"
- 计划检查时间: "2026-10-08至2026-12-20"
- 是否联合检查 / 是否多层级联合: 是 / 否; 联合部门: department names joined by "、"
- 柔性执法件数: one cell "免罚x/减轻处罚y/不予强制z"
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from qijian.catalog.choices import InspectionMethod, InspectionMode
from qijian.org.models import Region
from qijian.plans.choices import Completion, InspectionLevel, PlanKind
from qijian.plans.models import Plan, PlanEntry
from qijian.policy.loader import figure

Cell = str | int
TARGET_SEP = "；"
PARTNER_SEP = "、"
WINDOW_SEP = "至"
SIGNATURE = "单位负责人：____________（盖章）"
BLANK = "____________"


def short_header(header: str) -> str:
    """The header without its parenthesised hint: "检查类别 (双随机 / 非双随机)" -> "检查类别"."""
    return re.sub(r"\s*[(（][^)）]*[)）]\s*", "", header).strip()


@dataclass(frozen=True)
class Layout:
    key: str  # "2-1", "2-2", "5"
    label: str  # 附件2-1
    title: str  # without the county name
    headers: tuple[str, ...]
    widths: tuple[int, ...]  # column widths in characters (xlsx) and relative widths (pdf)
    row: Callable[[int, PlanEntry], list[Cell]] = field(repr=False, compare=False)

    @property
    def short_headers(self) -> tuple[str, ...]:
        return tuple(short_header(h) for h in self.headers)

    def column(self, name: str) -> int:
        """1-based column number of a header given by its short name."""
        return self.short_headers.index(name) + 1


# --- cell formats ------------------------------------------------------------------------------------


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def window_text(start: dt.date, end: dt.date) -> str:
    return f"{start.isoformat()}{WINDOW_SEP}{end.isoformat()}"


def targets_text(entry: PlanEntry) -> str:
    parts = [f"{e.name}({e.uscc})" for e in entry.targets.all()]
    if entry.target_rule:
        parts.append(entry.target_rule)
    return TARGET_SEP.join(parts)


def partners_text(entry: PlanEntry) -> str:
    return PARTNER_SEP.join(d.name for d in entry.partners.all())


def leniency_text(entry: PlanEntry) -> str:
    counts = (entry.no_penalty_count, entry.reduced_penalty_count, entry.no_coercion_count)
    if all(c is None for c in counts):
        return ""
    a, b, c = (n or 0 for n in counts)
    return f"免罚{a}/减轻处罚{b}/不予强制{c}"


def _count(value: int | None) -> Cell:
    return "" if value is None else value


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value else ""


# --- rows --------------------------------------------------------------------------------------------


def plan_row(number: int, entry: PlanEntry) -> list[Cell]:
    return [
        number,
        entry.item.name,
        entry.basis,
        _label(InspectionMode, entry.mode),
        targets_text(entry),
        yes_no(entry.joint),
        partners_text(entry),
        window_text(entry.window_start, entry.window_end),
        _label(InspectionMethod, entry.method),
        entry.expected_count,
        entry.note,
    ]


def completion_row(number: int, entry: PlanEntry) -> list[Cell]:
    return [
        number,
        entry.item.name,
        _label(InspectionMode, entry.mode),
        entry.expected_count,
        _count(entry.actual_count),
        _count(entry.joint_count),
        _count(entry.remote_count),
        _count(entry.problem_count),
        leniency_text(entry),
        _label(Completion, entry.completion),
        entry.completion_reason,
        entry.completion_note,
    ]


def multi_level_row(number: int, entry: PlanEntry) -> list[Cell]:
    implementing = entry.implementing_department or entry.plan.department
    return [
        number,
        _label(InspectionLevel, entry.level),
        implementing.name,
        entry.plan.department.name,
        entry.item.name,
        entry.basis,
        targets_text(entry),
        window_text(entry.window_start, entry.window_end),
        yes_no(entry.multi_level_joint),
        entry.participants,
        entry.township_notice,
        entry.acceptance_plan,
        entry.note,
    ]


PLAN = Layout(
    "2-1",
    "附件2-1",
    "涉企执法检查工作计划表",
    (
        "序号",
        "检查事项",
        "检查依据",
        "检查类别 (双随机 / 非双随机)",
        "检查对象 (企业名称及统一社会信用代码, 或抽查范围与比例)",
        "是否联合检查",
        "联合部门",
        "计划检查时间",
        "检查方式 (现场 / 非现场)",
        "预计检查户次",
        "备注",
    ),
    (6, 20, 22, 12, 36, 8, 16, 24, 10, 8, 14),
    plan_row,
)
COMPLETION = Layout(
    "2-2",
    "附件2-2",
    "涉企执法检查完成情况表",
    (
        "序号",
        "检查事项",
        "检查类别",
        "计划户次",
        "实际户次",
        "其中联合检查户次",
        "其中非现场检查户次",
        "发现问题户次",
        "柔性执法件数 (免罚 / 减轻处罚 / 不予强制)",
        "完成情况 (已完成 / 部分完成 / 未完成)",
        "未完成原因",
        "备注",
    ),
    (6, 22, 10, 8, 8, 10, 10, 10, 26, 14, 20, 14),
    completion_row,
)
MULTI_LEVEL = Layout(
    "5",
    "附件5",
    "多层级执法检查工作计划表",
    (
        "序号",
        "检查层级 (国家 / 省 / 市 / 县 / 乡镇)",
        "实施部门",
        "县级对口部门",
        "检查事项",
        "检查依据",
        "检查对象",
        "计划检查时间",
        "是否多层级联合",
        "参与层级及部门",
        "属地政府 (乡镇 / 沧东开发区管委会) 通知情况",
        "验收勘察安排 (最多一次)",
        "备注",
    ),
    (6, 10, 16, 14, 18, 18, 30, 23, 8, 18, 18, 16, 12),
    multi_level_row,
)
LAYOUTS: dict[str, Layout] = {layout.key: layout for layout in (PLAN, COMPLETION, MULTI_LEVEL)}


# --- which entries, and the header block -------------------------------------------------------------

MULTI_LEVEL_Q = ~Q(level=InspectionLevel.COUNTY) | Q(multi_level_joint=True)


def entries_for(plan: Plan, key: str) -> QuerySet[PlanEntry]:
    """The entries a table lists, in the order they are numbered (序号)."""
    entries = PlanEntry.objects.filter(plan=plan)
    if key == MULTI_LEVEL.key:
        entries = entries.filter(MULTI_LEVEL_Q)
    return (
        entries.select_related("item", "plan__department", "implementing_department")
        .prefetch_related("targets", "partners")
        .order_by("id")
    )


def county_name() -> str:
    code = str(figure("meta.region_code"))
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or ""


def period_text(plan: Plan) -> str:
    if plan.kind == PlanKind.ANNUAL_RANDOM or not plan.quarter:
        return f"{plan.year}年度"
    return f"{plan.year}年第{plan.quarter}季度"


def _local_date(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else BLANK


@dataclass(frozen=True)
class Sheet:
    """One table filled in for one plan: what the xlsx and pdf writers print."""

    layout: Layout
    plan: Plan
    title: str
    unit: str
    filler: str
    phone: str
    filed_on: str
    period: str
    rows: list[list[Cell]]

    @property
    def block(self) -> tuple[str, str, str, str, str]:
        """The header block's five texts: 填报单位, period, 填报人, 联系电话, 填报日期."""
        return (
            f"填报单位：{self.unit}",
            self.period,
            f"填报人：{self.filler}",
            f"联系电话：{self.phone}",
            f"填报日期：{self.filed_on}",
        )


def build_sheet(plan: Plan, key: str) -> Sheet:
    layout = LAYOUTS[key]
    department = plan.department
    filed = plan.completion_reported_at if key == COMPLETION.key else plan.submitted_at
    return Sheet(
        layout=layout,
        plan=plan,
        title=f"{county_name()}{layout.title}",
        unit=department.name,
        filler=department.contact_name or BLANK,
        phone=department.contact_phone or BLANK,
        filed_on=_local_date(filed),
        period=period_text(plan),
        rows=numbered_rows(layout, entries_for(plan, key)),
    )


def numbered_rows(layout: Layout, entries: Iterable[PlanEntry]) -> list[list[Cell]]:
    return [layout.row(number, entry) for number, entry in enumerate(entries, start=1)]


def filename(sheet: Sheet, fmt: str) -> str:
    return f"{sheet.layout.label}{sheet.layout.title}-{sheet.unit}-{sheet.period}.{fmt}"


def column_letters(count: int) -> Sequence[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i) for i in range(1, count + 1)]
