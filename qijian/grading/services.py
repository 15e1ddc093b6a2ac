"""Writes of the grading app: indicator imports, the yearly list (draft, approval, entry into force), overrides.

Every service takes a keyword-only ``actor``, validates first (GradingError, Chinese message, nothing
written) and writes its audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count

from qijian.accounts.choices import Role
from qijian.audit.services import record_event, snapshot
from qijian.core import calendar
from qijian.core.imports.digest import KeyDigest
from qijian.core.notify import notify_role
from qijian.enterprises.choices import EnterpriseStatus, Grade
from qijian.enterprises.models import Enterprise
from qijian.enterprises.services import set_grade
from qijian.grading import scoring, sources
from qijian.grading.choices import ListStatus
from qijian.grading.models import GradeEntry, GradeList, IndicatorValue
from qijian.meetings.choices import DecisionSubject
from qijian.meetings.models import Decision
from qijian.policy.loader import figure

_LISTED = 1000  # an audit event lists the changes themselves up to this many; beyond, only the digest
# Enterprises that are graded: not closed (注销) and not revoked (吊销).
_GONE = (EnterpriseStatus.CLOSED, EnterpriseStatus.REVOKED)


class GradingError(ValueError):
    """A grading action that is not allowed; the message is for the user (Chinese)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _require_office(actor: Any, what: str) -> None:
    if getattr(actor, "role", None) != Role.OFFICE:
        raise GradingError(f"只有联席会议办公室可以{what}。")


def scoring_policy() -> scoring.ScoringPolicy:
    return scoring.policy_from_tables(figure("grading.score"), figure("grading.indicators"))


# --- imported indicator values ---------------------------------------------------------------------

VALUE_FIELDS = ("credit_rating", "tax_rating", "high_tech", "employees", "tax_paid", "safety_incidents")
_TEXT_FIELDS = ("credit_rating", "tax_rating")  # blank (not NULL) when there is no value


@transaction.atomic
def record_indicator_values(*, actor: Any, rows: Iterable[Mapping[str, Any]], source: str = "") -> int:
    """Store validated rows (enterprise_id, year and VALUE_FIELDS); a row replaces the same enterprise-year.

    One audit event: the count and the SM3 digest of "<credit code>:<year>" lines in load order.
    """
    digest, values = KeyDigest(), []
    for row in rows:
        digest.add(f"{row['uscc']}:{row['year']}")
        fields = {f: row.get(f) for f in VALUE_FIELDS} | {f: row.get(f) or "" for f in _TEXT_FIELDS}
        values.append(IndicatorValue(enterprise_id=row["enterprise_id"], year=row["year"], source=source, **fields))
    IndicatorValue.objects.bulk_create(
        values,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["enterprise", "year"],
        update_fields=[*VALUE_FIELDS, "source", "updated_at"],
    )
    after = {"count": len(values), "keys_sm3": digest.hexdigest(), "source": source}
    record_event(
        actor=actor,
        action="grading.import_indicators",
        target_type="grading.indicatorvalue",
        target_id=f"batch:{len(values)}",
        after=after,
    )
    return len(values)


# --- the draft list --------------------------------------------------------------------------------


def explanation(result: scoring.GradeResult, data_year: int) -> dict[str, Any]:
    return {
        "data_year": data_year,
        "score": result.score,
        "band": result.band,
        "grade": result.grade,
        "capped_by": list(result.capped_by),
        "movers": [c.code for c in result.movers()],
        "contributions": [
            {
                "code": c.code,
                "label": c.label,
                "group": c.group,
                "value": c.value,
                "subscore": round(c.subscore, 4),
                "points": c.points,
                "lost": c.lost,
                "cap": c.cap,
            }
            for c in result.contributions
        ],
    }


def _window(year: int) -> sources.Window:
    end = _now()
    return sources.Window(year - 1, end - dt.timedelta(days=int(figure("grading.score.window_days"))), end)


def compute_entries(grade_list: GradeList) -> list[GradeEntry]:
    """Score every graded enterprise for the list (one query per source, none per enterprise)."""
    policy, window = scoring_policy(), _window(grade_list.year)
    values, defaults = sources.collect_all(window, policy.indicators)
    enterprises = Enterprise.objects.exclude(status__in=_GONE).order_by("id").values_list("id", "grade")
    entries = []
    for enterprise_id, current in enterprises.iterator(chunk_size=5000):
        result = scoring.grade(defaults | values.get(enterprise_id, {}), policy)
        entries.append(_entry(grade_list, enterprise_id, current, result, window.data_year))
    return entries


def _entry(
    grade_list: GradeList, enterprise_id: int, current: str, result: scoring.GradeResult, data_year: int
) -> GradeEntry:
    return GradeEntry(
        grade_list=grade_list,
        enterprise_id=enterprise_id,
        score=result.score,
        computed_grade=result.grade,
        grade=result.grade,
        previous_grade=current,
        focus=result.grade == Grade.C,
        explanation=explanation(result, data_year),
    )


def _check_year(year: int) -> None:
    if year < calendar.local_today().year:
        raise GradingError(f"不能为已经过去的{year}年度编制清单。")
    if year > calendar.local_today().year + 1:
        raise GradingError("只能编制本年度或下一年度的清单。")


def _carry_overrides(grade_list: GradeList, entries: list[GradeEntry]) -> None:
    """Keep the manual overrides of a regenerated draft."""
    kept = {e.enterprise_id: e for e in grade_list.entries.exclude(override_reason="")}
    for entry in entries:
        old = kept.get(entry.enterprise_id)
        if old is not None:
            entry.grade, entry.focus = old.grade, old.grade == Grade.C
            entry.override_reason, entry.overridden_by_id, entry.overridden_at = (
                old.override_reason,
                old.overridden_by_id,
                old.overridden_at,
            )


@transaction.atomic
def produce_draft_list(*, actor: Any, year: int) -> GradeList:
    """Compute the draft list of ``year`` (normally in December for next year); a draft is recomputed."""
    _require_office(actor, "编制分级分类监管清单")
    _check_year(year)
    grade_list = GradeList.objects.select_for_update().filter(year=year).first()
    if grade_list is not None and grade_list.status != ListStatus.DRAFT:
        raise GradingError(f"{year}年度清单已{grade_list.get_status_display()},不能重新编制。")
    if grade_list is None:
        grade_list = GradeList(year=year, effective_on=dt.date(year, 1, 1))
    grade_list.policy_version, grade_list.produced_by, grade_list.produced_at = (
        str(figure("meta.version")),
        actor,
        _now(),
    )
    grade_list.save()
    entries = compute_entries(grade_list)
    _carry_overrides(grade_list, entries)
    grade_list.entries.all().delete()
    GradeEntry.objects.bulk_create(entries, batch_size=2000)
    record_event(actor=actor, action="grading.produce_list", target=grade_list, after=_summary(grade_list))
    return grade_list


def list_counts(grade_list: GradeList) -> dict[str, int]:
    rows = grade_list.entries.values("grade").annotate(n=Count("id"))
    counts = {row["grade"]: row["n"] for row in rows}
    return {g: counts.get(g, 0) for g in Grade.values}


def _summary(grade_list: GradeList) -> dict[str, Any]:
    counts = list_counts(grade_list)
    return {
        "year": grade_list.year,
        "status": grade_list.status,
        "entries": sum(counts.values()),
        "by_grade": counts,
        "policy_version": grade_list.policy_version,
    }


# --- manual override -------------------------------------------------------------------------------


def _lock(model: Any, pk: int) -> None:
    """Hold the row until the transaction ends (PostgreSQL; SQLite's writers are serialised already)."""
    list(model.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))


@transaction.atomic
def override_grade(*, actor: Any, entry: GradeEntry, grade: str, reason: str) -> GradeEntry:
    """Set an entry's grade by hand; the reason is required. An in-force list changes the enterprise too."""
    _require_office(actor, "人工调整企业等级")
    # Re-read under a lock: a list going into force at the same moment must not miss this change.
    _lock(GradeList, entry.grade_list_id)
    _lock(GradeEntry, entry.pk)
    entry.refresh_from_db()
    entry.grade_list.refresh_from_db()
    reason = reason.strip()
    if grade not in Grade.values:
        raise GradingError("等级不正确,应为A、B或C。")
    if len(reason) < 4:
        raise GradingError("人工调整等级须写明理由(至少4个字)。")
    if entry.grade == grade:
        raise GradingError(f"该企业在清单中已是{grade}类。")
    if entry.grade_list.status == ListStatus.SUPERSEDED:
        raise GradingError("清单已被新清单取代,不能再调整。")
    before = snapshot(entry, ["grade", "override_reason"])
    entry.grade, entry.focus, entry.override_reason = grade, grade == Grade.C, reason
    entry.overridden_by, entry.overridden_at = actor, _now()
    entry.save(update_fields=["grade", "focus", "override_reason", "overridden_by", "overridden_at", "updated_at"])
    if entry.grade_list.status == ListStatus.IN_FORCE:
        set_grade(actor=actor, enterprise=entry.enterprise, grade=grade, reason=f"人工调整:{reason}")
    after = {"grade": grade, "override_reason": reason, "computed_grade": entry.computed_grade}
    record_event(actor=actor, action="grading.override_grade", target=entry, before=before, after=after)
    return entry


# --- approval and entry into force -----------------------------------------------------------------


@transaction.atomic
def approve_grade_list(*, actor: Any, grade_list: GradeList, decision: Decision) -> GradeList:
    """Approve a draft by a joint-meeting decision; a list whose effective date has come applies at once."""
    _require_office(actor, "审定分级分类监管清单")
    _lock(GradeList, grade_list.pk)  # two approvals cannot both pass
    grade_list.refresh_from_db()
    if grade_list.status != ListStatus.DRAFT:
        raise GradingError(f"清单当前状态为“{grade_list.get_status_display()}”,只有草案可以审定。")
    if decision.subject != DecisionSubject.GRADING:
        raise GradingError(f"请选择事项类别为“{DecisionSubject.GRADING.label}”的会议决定。")
    if GradeList.objects.filter(decision=decision).exists():
        raise GradingError(f"会议决定 {decision.number} 已用于审定其他清单。")
    if not grade_list.entries.exists():
        raise GradingError("清单中没有企业,不能审定。")
    before = snapshot(grade_list, ["status"])
    grade_list.status, grade_list.decision, grade_list.approved_at = ListStatus.APPROVED, decision, _now()
    grade_list.save(update_fields=["status", "decision", "approved_at", "updated_at"])
    record_event(
        actor=actor, action="grading.approve_list", target=grade_list, before=before, after=_summary(grade_list)
    )
    notify_role(role=Role.RANDOM_COORDINATOR, title=f"{grade_list}已审定", body=f"依据会议决定 {decision.number}")
    if grade_list.effective_on <= calendar.local_today():
        apply_grade_list(actor=actor, grade_list=grade_list)
        grade_list.refresh_from_db()
    return grade_list


def _check_applicable(grade_list: GradeList) -> None:
    if grade_list.status != ListStatus.APPROVED:
        raise GradingError(f"清单当前状态为“{grade_list.get_status_display()}”,只有已审定的清单可以生效。")
    if grade_list.effective_on > calendar.local_today():
        raise GradingError(f"清单将于{grade_list.effective_on:%Y年%m月%d日}生效,尚未到生效日期。")
    if GradeList.objects.filter(status=ListStatus.IN_FORCE, year__gt=grade_list.year).exists():
        raise GradingError("已有更晚年度的清单在执行,不能使本清单生效。")


def _changes(grade_list: GradeList) -> list[tuple[str, str, str]]:
    """(credit code, old grade, new grade) of every enterprise whose grade the list changes, by id."""
    rows = grade_list.entries.order_by("enterprise_id").values_list("enterprise__uscc", "enterprise__grade", "grade")
    return [(uscc, old, new) for uscc, old, new in rows.iterator(chunk_size=5000) if old != new]


@transaction.atomic
def apply_grade_list(*, actor: Any, grade_list: GradeList) -> int:
    """Put an approved list in force: set each listed enterprise's grade; return how many changed.

    One bulk UPDATE per grade and one audit event with the SM3 digest of "<code>:<old>><new>" lines
    (enterprises by id); the changes are listed too when there are at most 1,000.
    """
    grade_list = GradeList.objects.select_for_update().get(pk=grade_list.pk)
    _check_applicable(grade_list)
    changes = _changes(grade_list)
    for grade in Grade.values:
        entries = grade_list.entries.filter(grade=grade).values("enterprise_id")
        Enterprise.objects.filter(pk__in=entries).exclude(grade=grade).update(grade=grade, updated_at=_now())
    GradeList.objects.filter(status=ListStatus.IN_FORCE).update(status=ListStatus.SUPERSEDED, updated_at=_now())
    grade_list.status, grade_list.applied_at = ListStatus.IN_FORCE, _now()
    grade_list.save(update_fields=["status", "applied_at", "updated_at"])
    record_event(actor=actor, action="grading.apply_list", target=grade_list, after=_applied(grade_list, changes))
    return len(changes)


def _applied(grade_list: GradeList, changes: list[tuple[str, str, str]]) -> dict[str, Any]:
    digest = KeyDigest()
    for uscc, old, new in changes:
        digest.add(f"{uscc}:{old}>{new}")
    after = _summary(grade_list) | {"changed": len(changes), "changes_sm3": digest.hexdigest()}
    if len(changes) <= _LISTED:
        after["changes"] = [f"{uscc}:{old}>{new}" for uscc, old, new in changes]
    return after


def apply_due_lists(*, actor: Any = None) -> list[str]:
    """Apply every approved list whose effective date has come (the daily task); idempotent."""
    lines = []
    due = GradeList.objects.filter(status=ListStatus.APPROVED, effective_on__lte=calendar.local_today()).order_by(
        "year"
    )
    for grade_list in due:
        try:
            changed = apply_grade_list(actor=actor, grade_list=grade_list)
        except GradingError as exc:
            lines.append(f"{grade_list}:{exc}")
        else:
            lines.append(f"{grade_list}已生效,{changed}户企业等级变更。")
    return lines
