"""The quarterly summary for the joint meeting (机制四: 每季度将收集的各类问题线索和意见建议汇总后提请联席会研究).

``quarter_summary(quarter)`` counts, per department and for the county, in a constant number of
queries (every figure is aggregated in the database):

- follow-ups (回访) DUE in the quarter: due / done / done late / overdue (still not done after the
  due day, as of ``today``);
- questionnaire responses about inspections MADE in the quarter (the follow-up's inspection day, the
  rule of the department aggregates in queries/answers.py), their satisfaction distribution and
  average (5..1), and the "problem clue" answers per question code;
- complaints RECEIVED in the quarter: received / replied / open / overdue (open past ``reply_due``);
- R01/R02 alerts RAISED in the quarter (problem clues too);
- referrals PROPOSED in the quarter: proposed / approved.

Satisfaction needs ``evaluation.min_group`` answers in a group, else it reads "样本不足". The office
and supervisor version (``details=True``) lists each clue with its enterprise for the meeting; the
department version (``department_id``) is that department's row only, with no clue details, and
hides its answer-based clue counts as well below ``min_group`` responses (anonymity, issue 7 item 3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from qijian.accounts.choices import Role
from qijian.core.calendar import Quarter, local_today, local_zone
from qijian.evaluations.choices import ComplaintStatus, FollowUpStatus
from qijian.evaluations.models import Answer, Complaint, FollowUp, Response
from qijian.evaluations.queries.answers import department_quarter
from qijian.evaluations.questionnaire_defaults import PROBLEM_CLUES, SATISFACTION_SCORES
from qijian.org.models import Department
from qijian.oversight.choices import ReferralStatus
from qijian.oversight.models import Alert, Referral
from qijian.policy.loader import figure

INSUFFICIENT = "样本不足"
UNASSIGNED = "未明确部门"
SATISFACTION_CODE = "satisfaction"
SUGGESTIONS_CODE = "suggestions"  # 意见和建议 (free text): counted, and listed in the meeting's packet
# The answers that are problem clues, per question code of the county default questionnaire (附件3).
PROBLEM_ANSWERS = PROBLEM_CLUES
CLUE_LABELS = {
    "id_shown": "未主动出示执法证件",
    "notified": "检查前未告知事项、依据和权利",
    "two_inspectors": "现场检查人员少于两人",
    "within_scope": "超范围检查",
    "impact": "对生产经营影响较大",
    "improper_requests": "吃拿卡要、收受财物、指定服务",
    "leniency": "轻微问题未采取柔性方式",
    "repeated": "重复检查、多头检查",
    SATISFACTION_CODE: "对检查不满意",
}
CLUE_RULES = ("R01", "R02")
RULE_LABELS = {"R01": "未报备入企(R01)", "R02": "事后报备(R02)"}
# Clues the summary proposes the meeting consider for referral to discipline inspection (机制四).
REFERRAL_CODES = frozenset({"improper_requests"})
DETAIL_LIMIT = 500  # clue details per kind in the meeting's packet
_OPEN = (ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING)


def min_group() -> int:
    return int(figure("evaluation.min_group"))


@dataclass
class Figures:
    """One department's figures (``department_id`` None: the county, or complaints naming no department)."""

    name: str
    department_id: int | None = None
    min_group: int = 3
    follow_ups_due: int = 0
    follow_ups_done: int = 0
    follow_ups_late: int = 0
    follow_ups_overdue: int = 0
    responses: int = 0
    enterprises: int = 0  # distinct enterprises that answered (the anonymity threshold counts these)
    suggestions: int = 0  # responses with a written 意见和建议
    satisfaction: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SATISFACTION_SCORES, 0))
    answer_clues: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PROBLEM_ANSWERS, 0))
    alert_clues: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLUE_RULES, 0))
    clues_hidden: bool = False  # a department's own view below min_group responses
    complaints_received: int = 0
    complaints_replied: int = 0
    complaints_open: int = 0
    complaints_overdue: int = 0
    referrals_proposed: int = 0
    referrals_approved: int = 0

    @property
    def satisfaction_count(self) -> int:
        return sum(self.satisfaction.values())

    @property
    def sample_ok(self) -> bool:
        return self.satisfaction_count >= self.min_group and self.enterprises >= self.min_group

    @property
    def satisfaction_average(self) -> float | None:
        """Average score 5..1 (two decimals), None below ``min_group`` answers."""
        if not self.sample_ok:
            return None
        total = sum(SATISFACTION_SCORES[k] * n for k, n in self.satisfaction.items())
        return round(total / self.satisfaction_count, 2)

    @property
    def satisfaction_text(self) -> str:
        average = self.satisfaction_average
        return INSUFFICIENT if average is None else f"{average:.2f}"

    @property
    def satisfied_percent(self) -> str:
        """Share of 非常满意 + 满意 + 基本满意, or 样本不足."""
        if not self.sample_ok:
            return INSUFFICIENT
        good = sum(n for k, n in self.satisfaction.items() if SATISFACTION_SCORES[k] >= 3)
        return f"{100 * good / self.satisfaction_count:.1f}%"

    @property
    def follow_ups_pending(self) -> int:
        """Due in the quarter, not done, not yet past the due day."""
        return self.follow_ups_due - self.follow_ups_done - self.follow_ups_overdue

    @property
    def answer_clue_total(self) -> int:
        return sum(self.answer_clues.values())

    @property
    def clue_total(self) -> int:
        return self.answer_clue_total + self.complaints_received + sum(self.alert_clues.values())

    def add(self, other: Figures) -> None:
        """Add ``other``'s counts to these (the county totals)."""
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for attr in ("satisfaction", "answer_clues", "alert_clues"):
            mine, theirs = getattr(self, attr), getattr(other, attr)
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n


_COUNTS = (
    "follow_ups_due",
    "follow_ups_done",
    "follow_ups_late",
    "follow_ups_overdue",
    "responses",
    "enterprises",
    "suggestions",
    "complaints_received",
    "complaints_replied",
    "complaints_open",
    "complaints_overdue",
    "referrals_proposed",
    "referrals_approved",
)


@dataclass(frozen=True)
class ClueCount:
    """How many answers to one question were problem clues in one department (no enterprise)."""

    code: str
    label: str
    department: str
    count: int


@dataclass(frozen=True)
class ClueDetail:
    """One clue as the meeting's packet lists it (office and supervisor only: it names the enterprise)."""

    kind: str  # 问卷 / 投诉 / 预警
    day: dt.date
    department: str
    enterprise: str
    what: str
    note: str
    advice: str  # 移送建议


@dataclass
class Summary:
    quarter: Quarter
    as_of: dt.date
    min_group: int
    departments: list[Figures]
    county: Figures
    clues: list[ClueCount]
    details: list[ClueDetail] = field(default_factory=list)
    department_only: bool = False


# --- the queries -------------------------------------------------------------------------------------


def _bounds(quarter: Quarter) -> tuple[dt.datetime, dt.datetime]:
    """The quarter as an aware [start, end) interval in local time."""
    zone = local_zone()
    start = dt.datetime.combine(quarter.start, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(quarter.next().start, dt.time.min, tzinfo=zone)


def _scoped(rows: QuerySet[Any], path: str, department_id: int | None) -> QuerySet[Any]:
    return rows if department_id is None else rows.filter(**{path: department_id})


def _follow_up_rows(quarter: Quarter, today: dt.date, dept: int | None) -> Iterable[dict[str, Any]]:
    done = Q(status=FollowUpStatus.DONE)
    rows = FollowUp.objects.filter(due_on__range=(quarter.start, quarter.end))
    return (
        _scoped(rows, "department_id", dept)
        .values("department_id")
        .annotate(
            due=Count("id"),
            done=Count("id", filter=done),
            late=Count("id", filter=done & Q(done_at__date__gt=F("due_on"))),
            overdue=Count("id", filter=~done & Q(due_on__lt=today)),
        )
        .order_by()
    )


def _inspected_in(bounds: tuple[dt.datetime, dt.datetime], path: str) -> Q:
    """Answers about inspections made in the quarter (local [start, end) days of ``bounds``)."""
    return Q(**{f"{path}__gte": bounds[0].date(), f"{path}__lt": bounds[1].date()})


def _response_rows(bounds: tuple[dt.datetime, dt.datetime], dept: int | None) -> Iterable[dict[str, Any]]:
    rows = Response.objects.filter(_inspected_in(bounds, "follow_up__inspected_on"))
    rows = _scoped(rows, "follow_up__department_id", dept)
    suggested = Q(answers__question__code=SUGGESTIONS_CODE) & ~Q(answers__text="")
    return (
        rows.values(department_id=F("follow_up__department_id"))
        .annotate(
            n=Count("id", distinct=True),
            enterprises=Count("follow_up__enterprise", distinct=True),
            suggestions=Count("answers", filter=suggested),
        )
        .order_by()
    )


def _answer_rows(bounds: tuple[dt.datetime, dt.datetime], dept: int | None) -> Iterable[dict[str, Any]]:
    """Answers to the counted questions, grouped by department, question code and the choices made."""
    rows = Answer.objects.filter(
        _inspected_in(bounds, "response__follow_up__inspected_on"), question__code__in=PROBLEM_ANSWERS
    )
    rows = _scoped(rows, "response__follow_up__department_id", dept)
    return (
        rows.values("choices", department_id=F("response__follow_up__department_id"), code=F("question__code"))
        .annotate(n=Count("id"))
        .order_by()
    )


def _alert_rows(bounds: tuple[dt.datetime, dt.datetime], dept: int | None) -> Iterable[dict[str, Any]]:
    rows = Alert.objects.filter(rule__in=CLUE_RULES, raised_at__gte=bounds[0], raised_at__lt=bounds[1])
    return _scoped(rows, "department_id", dept).values("department_id", "rule").annotate(n=Count("id")).order_by()


def _complaint_rows(
    bounds: tuple[dt.datetime, dt.datetime], today: dt.date, dept: int | None
) -> Iterable[dict[str, Any]]:
    is_open = Q(status__in=_OPEN)
    rows = Complaint.objects.filter(received_at__gte=bounds[0], received_at__lt=bounds[1])
    return (
        _scoped(rows, "department_id", dept)
        .values("department_id")
        .annotate(
            received=Count("id"),
            replied=Count("id", filter=Q(status=ComplaintStatus.REPLIED)),
            open=Count("id", filter=is_open),
            overdue=Count("id", filter=is_open & Q(reply_due__lt=today)),
        )
        .order_by()
    )


def _referral_rows(bounds: tuple[dt.datetime, dt.datetime], dept: int | None) -> Iterable[dict[str, Any]]:
    rows = Referral.objects.filter(proposed_at__gte=bounds[0], proposed_at__lt=bounds[1])
    return (
        _scoped(rows, "department_id", dept)
        .values("department_id")
        .annotate(proposed=Count("id"), approved=Count("id", filter=Q(status=ReferralStatus.APPROVED)))
        .order_by()
    )


# --- folding the rows into figures --------------------------------------------------------------------


class _Table(dict[int | None, Figures]):
    def __init__(self, group: int) -> None:
        super().__init__()
        self.group = group

    def row(self, department_id: int | None) -> Figures:
        if department_id not in self:
            self[department_id] = Figures(name=UNASSIGNED, department_id=department_id, min_group=self.group)
        return self[department_id]


def _fold_counts(table: _Table, rows: Iterable[dict[str, Any]], fields: dict[str, str]) -> None:
    for values in rows:
        figures = table.row(values["department_id"])
        for source, target in fields.items():
            setattr(figures, target, values[source])


def _fold_answers(table: _Table, rows: Iterable[dict[str, Any]]) -> None:
    for values in rows:
        figures, code = table.row(values["department_id"]), values["code"]
        chosen = values["choices"] or []
        if code == SATISFACTION_CODE and chosen and chosen[0] in SATISFACTION_SCORES:
            figures.satisfaction[chosen[0]] += values["n"]
        if PROBLEM_ANSWERS[code].intersection(chosen):
            figures.answer_clues[code] += values["n"]


def _fold_alerts(table: _Table, rows: Iterable[dict[str, Any]]) -> None:
    for values in rows:
        table.row(values["department_id"]).alert_clues[values["rule"]] += values["n"]


def _collect(quarter: Quarter, today: dt.date, dept: int | None, group: int) -> _Table:
    bounds = _bounds(quarter)
    table = _Table(group)
    follow_ups = {"due": "follow_ups_due", "done": "follow_ups_done", "late": "follow_ups_late"}
    _fold_counts(table, _follow_up_rows(quarter, today, dept), follow_ups | {"overdue": "follow_ups_overdue"})
    answered = {"n": "responses", "enterprises": "enterprises", "suggestions": "suggestions"}
    _fold_counts(table, _response_rows(bounds, dept), answered)
    _fold_answers(table, _answer_rows(bounds, dept))
    _fold_alerts(table, _alert_rows(bounds, dept))
    complaints = {"received": "complaints_received", "replied": "complaints_replied", "open": "complaints_open"}
    _fold_counts(table, _complaint_rows(bounds, today, dept), complaints | {"overdue": "complaints_overdue"})
    _fold_counts(
        table, _referral_rows(bounds, dept), {"proposed": "referrals_proposed", "approved": "referrals_approved"}
    )
    return table


def _named(table: _Table) -> list[Figures]:
    """Department rows in the departments' order (by code), the unassigned row last."""
    names = Department.objects.filter(pk__in=[k for k in table if k is not None]).order_by("code", "id")
    rows = []
    for department_id, name in names.values_list("id", "name"):
        table[department_id].name = name
        rows.append(table[department_id])
    return rows + ([table[None]] if None in table else [])


def _clue_counts(rows: list[Figures]) -> list[ClueCount]:
    return [
        ClueCount(code, CLUE_LABELS[code], figures.name, n)
        for code in CLUE_LABELS
        for figures in rows
        if (n := figures.answer_clues.get(code, 0)) and not figures.clues_hidden
    ]


def quarter_summary(
    quarter: Quarter, *, today: dt.date | None = None, department_id: int | None = None, details: bool = False
) -> Summary:
    """The summary of ``quarter`` as of ``today`` (default: the local date).

    ``department_id``: that department's row only (the department's own view, no details);
    ``details``: also list each clue with its enterprise (the office's and supervisor's packet).
    """
    today = today or local_today()
    group = min_group()
    table = _collect(quarter, today, department_id, group)
    rows = _named(table)
    if department_id is not None:
        rows = [r for r in rows if r.department_id == department_id] or [_empty_row(department_id, group)]
        _hide_small(rows[0])
    county = Figures(name="全县合计", min_group=group)
    for row in rows:
        county.add(row)
    county.clues_hidden = department_id is not None and rows[0].clues_hidden
    summary = Summary(
        quarter, today, group, rows, county, _clue_counts(rows), department_only=department_id is not None
    )
    if details and department_id is None:
        from qijian.evaluations.queries.summary_details import clue_details

        summary.details = clue_details(_bounds(quarter))
    return summary


def _empty_row(department_id: int, group: int) -> Figures:
    name = Department.objects.filter(pk=department_id).values_list("name", flat=True).first() or UNASSIGNED
    return Figures(name=name, department_id=department_id, min_group=group)


def _hide_small(row: Figures) -> None:
    """A department reading its own row with fewer than min_group answering enterprises sees no answer-based
    clue counts (one enterprise answering three visits is still one enterprise)."""
    if row.enterprises < row.min_group:
        row.clues_hidden = True
        row.answer_clues = dict.fromkeys(PROBLEM_ANSWERS, 0)


# --- who reads what ----------------------------------------------------------------------------------

READERS = frozenset({Role.OFFICE, Role.SUPERVISOR, Role.DEPT_ADMIN})
PACKET_READERS = frozenset({Role.OFFICE, Role.SUPERVISOR})


def can_read(user: Any) -> bool:
    return getattr(user, "role", None) in READERS and (user.role != Role.DEPT_ADMIN or bool(user.department_id))


def summary_for(user: Any, quarter: Quarter, *, today: dt.date | None = None) -> Summary | None:
    """The summary ``user`` may read: the whole packet for the office and the supervisor, the
    department's own row for a dept_admin, None for anyone else."""
    if not can_read(user):
        return None
    if user.role in PACKET_READERS:
        return quarter_summary(quarter, today=today, details=True)
    return quarter_summary(quarter, today=today, department_id=user.department_id)


def last_quarter(today: dt.date | None = None) -> Quarter:
    return Quarter.of(today or local_today()).previous()


def quarter_from(text: str | None, today: dt.date | None = None, *, user: Any = None) -> Quarter:
    """A quarter typed by a user (``2026Q4``); the last finished quarter when empty. ValueError (Chinese) if bad.

    A department admin reads only quarters whose answers are all in (``answers.department_quarter``)."""
    quarter = Quarter.parse(text) if text else None
    if quarter is not None and not 2000 <= quarter.year <= 2100:
        raise ValueError(f"季度超出范围:{text}")
    if getattr(user, "role", None) == Role.DEPT_ADMIN:
        return department_quarter(user, quarter, today)
    return quarter or last_quarter(today)


def recent_quarters(today: dt.date | None = None, count: int = 8) -> list[Quarter]:
    """The quarter selector: this quarter and the ``count - 1`` before it, newest first."""
    quarter, out = Quarter.of(today or local_today()), []
    for _ in range(count):
        out.append(quarter)
        quarter = quarter.previous()
    return out


def dashboard_summary(user: Any, today: dt.date | None = None) -> Summary | None:
    """The current quarter's county figures so far, for the office home page (office and supervisor; no details):
    what needs attention now (overdue follow-ups, open complaints); the meeting's packet is the finished quarter's."""
    if getattr(user, "role", None) not in PACKET_READERS:
        return None
    return quarter_summary(Quarter.of(today or local_today()), today=today)
