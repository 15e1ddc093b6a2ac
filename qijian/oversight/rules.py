"""The oversight rules of DESIGN.md §7 as pure functions: facts in, a ``Finding`` (or None) out.

No Django import: callers (``oversight/checks.py``) gather the facts from the database, call a rule
and hand any finding to ``services.raise_alert``. Each rule carries its id, severity and the policy
sentence it enforces; figures (minimum inspectors, caps, windows) are passed in from the policy file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

CRITICAL, BLOCK, WARNING, OVERDUE = "critical", "block", "warning", "overdue"
ONSITE = "onsite"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    source: str


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            "R01",
            CRITICAL,
            "未报备入企检查",
            "未经报备入企检查的,由联席会议办公室依据《河北省优化营商环境条例》,按损害营商环境行为通报纪检监察机关追究相关责任。",
        ),
        Rule(
            "R02",
            CRITICAL,
            "事后报备",
            "需在开展检查的同时向联席会议办公室备案……不允许事后报备(法律法规另有规定的除外)。",
        ),
        Rule(
            "R03", BLOCK, "现场检查执法人员不足两人", "现场检查人员是否不少于两人(附件3 第3题;《行政处罚法》第四十二条)"
        ),
        Rule(
            "R04",
            BLOCK,
            "检查事项不在已审定清单内",
            "联席会……负责按上级要求调整我县本年度非“双随机”涉企执法检查事项清单,审定执法检查计划",
        ),
        Rule(
            "R05",
            WARNING,
            "超过年度入企检查频次上限",
            "通过分级分类监管、多层级联合执法检查、“无感”执法检查等方式,压减非“双随机”入企检查频次。",
        ),
        Rule("R06", WARNING, "60日内重复检查", "防止随意执法、选择性执法、重复执法、频繁检查等行为发生"),
        Rule(
            "R07",
            WARNING,
            "无法定事由现场检查A类企业",
            "对A类企业……除投诉举报、大数据监测发现问题、转办交办案件线索及法律、法规另有规定外,根据实际情况一般不实施现场检查",
        ),
        Rule(
            "R08",
            WARNING,
            "上级检查未经县级对口部门备案或验收超过一次",
            "国家、省、市等上级部门来沧县开展涉企执法检查的,县级对口部门按要求备案……上级部门执法检查后需入企勘察验收的,原则上最多再去一次。",
        ),
        Rule(
            "R09",
            WARNING,
            "多层级分头检查未备案",
            "未向县发改部门备案的,不得对同一企业开展多层级分头执法。",
        ),
        Rule("R10", OVERDUE, "回访逾期", "在各县级执法部门开展检查5日内对企业进行回访"),
        Rule(
            "R11",
            OVERDUE,
            "计划或工作情况未按时报送",
            "由牵头部门于每季度最后两周将下季度检查计划及本季度检查完成情况分别报送……并于每季度首月15日前向联席会议办公室报送工作情况。",
        ),
    )
}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return RULES[self.rule].source


def _finding(rule: str, message: str, severity: str | None = None, **facts: Any) -> Finding:
    return Finding(rule=rule, severity=severity or RULES[rule].severity, message=message, facts=facts)


# --- R02 -----------------------------------------------------------------------------------------


def late_filing(*, filed_at: dt.datetime, started_at: dt.datetime) -> Finding | None:
    """R02: the filing was made after the inspection started."""
    if filed_at <= started_at:
        return None
    minutes = int((filed_at - started_at).total_seconds() // 60)
    return _finding("R02", f"报备时间晚于检查开始时间 {minutes} 分钟(事后报备)", minutes_late=minutes)


# --- R03 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InspectorFact:
    certificate_no: str
    certified: bool  # active, and the certificate is valid on the inspection day


def too_few_inspectors(*, method: str, inspectors: Sequence[InspectorFact], minimum: int) -> Finding | None:
    """R03: an on-site inspection needs at least ``minimum`` certified inspectors."""
    if method != ONSITE:
        return None
    certified = sorted({i.certificate_no for i in inspectors if i.certified})
    if len(certified) >= minimum:
        return None
    uncertified = sorted(i.certificate_no for i in inspectors if not i.certified)
    return _finding(
        "R03",
        f"现场检查须有不少于{minimum}名持有效执法证件的执法人员,当前仅{len(certified)}名",
        certified=certified,
        uncertified=uncertified,
    )


# --- R04 -----------------------------------------------------------------------------------------


def item_not_in_catalog(*, item_code: str, effective_codes: frozenset[str]) -> Finding | None:
    """R04: the item is not on the department's effective (approved) catalog."""
    if item_code in effective_codes:
        return None
    return _finding("R04", f"检查事项 {item_code} 不在本部门现行有效的检查事项清单内", item_code=item_code)


# --- R05 -----------------------------------------------------------------------------------------


def over_yearly_cap(*, prior_counted: int, cause_driven: bool, cap: int, mode: str) -> Finding | None:
    """R05: this on-site inspection would exceed the department's yearly cap for the enterprise.

    ``prior_counted`` is this year's earlier on-site, non-cause-driven inspections by the same
    department of the same enterprise; a cause-driven inspection never counts or trips the rule.
    """
    if cause_driven or prior_counted + 1 <= cap:
        return None
    severity = BLOCK if mode == BLOCK else WARNING
    return _finding(
        "R05",
        f"本年度已对该企业现场检查{prior_counted}次,本次将超过年度上限{cap}次",
        severity,
        prior=prior_counted,
        cap=cap,
    )


# --- R06 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitFact:
    visit_id: str  # one joint visit shares one id across departments
    day: dt.date
    joint: bool
    department_id: int | None = None


def repeat_within_window(*, this: VisitFact, previous: Sequence[VisitFact], window_days: int) -> Finding | None:
    """R06: the enterprise was inspected within ``window_days`` by a separate, non-joint visit."""
    if this.joint:
        return None
    close = [
        p
        for p in previous
        if p.visit_id != this.visit_id and not p.joint and abs((this.day - p.day).days) < window_days
    ]
    if not close:
        return None
    nearest = min(close, key=lambda p: abs((this.day - p.day).days))
    gap = abs((this.day - nearest.day).days)
    return _finding(
        "R06",
        f"该企业{'同日' if gap == 0 else f'{gap}日内'}已接受另一次单独检查({nearest.day:%Y-%m-%d}),未合并为联合检查",
        other_visit=nearest.visit_id,
        gap_days=gap,
    )


# --- R07 -----------------------------------------------------------------------------------------


def grade_a_onsite(*, grade: str, method: str, reason: str, allowed: frozenset[str]) -> Finding | None:
    """R07: an on-site inspection of a grade-A enterprise without an allowed reason."""
    if grade != "A" or method != ONSITE or reason in allowed:
        return None
    return _finding("R07", "对A类企业实施现场检查,未说明投诉举报、大数据监测、转办交办或法定事由", reason=reason)


# --- R08 -----------------------------------------------------------------------------------------


def superior_without_counterpart(*, started: bool, counterpart_filed: bool) -> Finding | None:
    """R08: a superior department's planned inspection has started with no county counterpart filing."""
    if not started or counterpart_filed:
        return None
    return _finding("R08", "上级部门检查已到计划时间,县级对口部门未备案")


def too_many_acceptance_visits(*, visits: int, maximum: int) -> Finding | None:
    """R08: more acceptance visits after one superior inspection than the policy allows."""
    if visits <= maximum:
        return None
    return _finding("R08", f"上级检查后入企勘察验收已达{visits}次,超过最多{maximum}次", visits=visits)


# --- R09 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelVisitFact:
    visit_id: str
    level: str  # county / township
    day: dt.date
    coordinated_with: frozenset[str] = frozenset()  # visit ids it was filed together with (multi-level)


def multi_level_separate(*, this: LevelVisitFact, others: Sequence[LevelVisitFact], window_days: int) -> Finding | None:
    """R09: county and township inspections of one enterprise, separately, without a multi-level filing."""
    separate = [
        o
        for o in others
        if o.level != this.level
        and o.visit_id != this.visit_id
        and o.visit_id not in this.coordinated_with
        and this.visit_id not in o.coordinated_with
        and abs((this.day - o.day).days) < window_days
    ]
    if not separate:
        return None
    return _finding(
        "R09",
        "同一企业县、乡两级分头检查,未作为多层级联合检查向联席会议办公室备案",
        other_visits=sorted(o.visit_id for o in separate),
    )


# --- R10 -----------------------------------------------------------------------------------------


def follow_up_overdue(*, what: str, due_on: dt.date, today: dt.date, done: bool) -> Finding | None:
    """R10: a follow-up (回访) still not done after its deadline day (done on ``due_on`` is in time)."""
    if done or today <= due_on:
        return None
    days = (today - due_on).days
    return _finding("R10", f"{what}的回访已逾期{days}天(期限{due_on:%Y-%m-%d})仍未完成", due_on=due_on.isoformat())


# --- R11 -----------------------------------------------------------------------------------------


def not_submitted_in_window(
    *, what: str, closes: dt.date, today: dt.date, submitted_on: dt.date | None
) -> Finding | None:
    """R11: a plan or work report not submitted by the close of its window (late counts too)."""
    if submitted_on is not None and submitted_on <= closes:
        return None
    if submitted_on is None and today <= closes:
        return None
    if submitted_on is None:
        return _finding("R11", f"{what}已过报送截止日({closes:%Y-%m-%d})仍未报送", closes=closes.isoformat())
    return _finding(
        "R11",
        f"{what}于{submitted_on:%Y-%m-%d}逾期报送(截止日{closes:%Y-%m-%d})",
        closes=closes.isoformat(),
        submitted=submitted_on.isoformat(),
    )


# --- R01 -----------------------------------------------------------------------------------------


def unfiled_entry(
    *, department_filings: int, names_inspector: bool, enterprise: str, certificate_no: str
) -> Finding | None:
    """R01: an inspector entered an enterprise with no ACTIVE filing of its department (or a partner's
    joint filing) covering the moment and naming it. ``department_filings`` counts the covering filings
    of the inspector's department (as filer or partner); ``names_inspector``: one of them lists it."""
    if department_filings > 0 and names_inspector:
        return None
    if department_filings > 0:
        message = f"执法人员(执法证号{certificate_no})进入企业“{enterprise}”,本部门的有效报备未列明该执法人员"
    else:
        message = f"执法人员(执法证号{certificate_no})进入企业“{enterprise}”时,本部门无覆盖该时间的有效报备"
    return _finding(
        "R01",
        message + "(未报备入企)",
        department_filings=department_filings,
        certificate_no=certificate_no,
    )
