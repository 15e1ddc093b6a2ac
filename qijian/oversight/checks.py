"""Running the oversight rules on events: facts from the database in, alerts out.

``after_filing`` is called by the filing service at the end of each successful filing (inside its
transaction); it runs R05–R09 for every enterprise of the filing. Every alert has a stable dedup
key naming the breach, so a replayed filing never raises it twice.

Scope decisions (see docs/oversight.md):
- R05, R06 and R07 concern on-site visits (入企); a remote (非现场) inspection never trips them.
- R07 exempts "双随机" items: random sampling of grade-A enterprises is governed by the sampling
  ratio (grading.sampling_ratio), not by a reason per visit.
- An acceptance visit (acceptance_of) is never a "repeat" of the superior inspection it follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Q

from qijian.catalog.choices import InspectionMethod, InspectionMode
from qijian.core.calendar import local_zone
from qijian.inspections.choices import FilingStatus, UrgentReason
from qijian.inspections.models import Filing
from qijian.org.choices import DepartmentLevel
from qijian.oversight import rules
from qijian.oversight.models import Alert
from qijian.oversight.rules import Finding
from qijian.oversight.services import raise_alert
from qijian.policy.loader import figure

# What each urgent reason means for R07's allowed reasons (grading.a_allowed_reasons.reasons).
R07_REASONS: dict[str, str] = {
    UrgentReason.COMPLAINT: "complaint",
    UrgentReason.STATUTORY: "statutory",
    UrgentReason.SUPERIOR_ORDER: "transferred",  # 转办交办
}
LOCAL_LEVELS = (DepartmentLevel.COUNTY, DepartmentLevel.TOWNSHIP)

Check = tuple[str, Finding]


def after_filing(filing: Filing) -> list[Alert]:
    """Run R05–R09 on a new ACTIVE filing; returns the alerts raised (already-raised breaches are skipped)."""
    if filing.status != FilingStatus.ACTIVE:
        return []
    raised: list[Alert] = []
    for enterprise in filing.enterprises.all():
        for key, finding in _enterprise_checks(filing, enterprise):
            alert = raise_alert(
                finding=finding, key=key, department=filing.department, enterprise=enterprise, filing=filing
            )
            if alert is not None:
                raised.append(alert)
    return raised


def _enterprise_checks(filing: Filing, enterprise: Any) -> Iterator[Check]:
    suffix = f"filing:{filing.pk}:enterprise:{enterprise.pk}"
    for rule_id, finding in (
        ("R05", check_yearly_cap(filing, enterprise)),
        ("R06", check_repeat(filing, enterprise)),
        ("R07", check_grade_a(filing, enterprise)),
        ("R08", check_acceptance(filing)),
        ("R09", check_multi_level(filing, enterprise)),
    ):
        if finding is not None:
            yield f"{rule_id}:{suffix}", finding


# --- facts ------------------------------------------------------------------------------------


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(local_zone()).date()


def is_cause_driven(filing: Filing) -> bool:
    return filing.urgent_reason in set(figure("frequency_cap.cause_driven_reasons"))


def is_onsite(filing: Filing) -> bool:
    return filing.method == InspectionMethod.ONSITE


def _active_of(enterprise: Any) -> Any:
    return Filing.objects.filter(status=FilingStatus.ACTIVE, enterprises=enterprise)


def _year_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = local_zone()
    start = dt.datetime(day.year, 1, 1, tzinfo=zone)
    return start, dt.datetime(day.year + 1, 1, 1, tzinfo=zone)


# --- R05 ---------------------------------------------------------------------------------------


def check_yearly_cap(filing: Filing, enterprise: Any) -> Finding | None:
    """R05: this year's earlier on-site, non-cause-driven filings by the department for the enterprise."""
    if not is_onsite(filing):
        return None
    start, end = _year_bounds(local_day(filing.window_start))
    earlier = Q(window_start__lt=filing.window_start) | Q(window_start=filing.window_start, pk__lt=filing.pk)
    prior = (
        _active_of(enterprise)
        .filter(earlier, department_id=filing.department_id, method=InspectionMethod.ONSITE)
        .filter(window_start__gte=start, window_start__lt=end)
        .exclude(pk=filing.pk)
        .exclude(urgent_reason__in=list(figure("frequency_cap.cause_driven_reasons")))
    )
    caps = figure("grading.yearly_cap")
    return rules.over_yearly_cap(
        prior_counted=prior.count(),
        cause_driven=is_cause_driven(filing),
        cap=int(caps[enterprise.grade]),
        mode=str(figure("frequency_cap.mode")),
    )


# --- R06 ---------------------------------------------------------------------------------------


def _visit(filing: Filing) -> rules.VisitFact:
    return rules.VisitFact(
        visit_id=filing.number,
        day=local_day(filing.window_start),
        joint=filing.joint,
        department_id=filing.department_id,
    )


def _nearby(filing: Filing, enterprise: Any, days: int) -> Any:
    margin = dt.timedelta(days=days + 1)
    return (
        _active_of(enterprise)
        .exclude(pk=filing.pk)
        .filter(window_start__gt=filing.window_start - margin, window_start__lt=filing.window_start + margin)
    )


def check_repeat(filing: Filing, enterprise: Any) -> Finding | None:
    """R06: another separate, non-joint on-site visit of the enterprise within the repeat window."""
    if not is_onsite(filing):
        return None
    days = int(figure("repeat_window.days"))
    others = (
        _nearby(filing, enterprise, days)
        .filter(method=InspectionMethod.ONSITE)
        .exclude(acceptance_of_id=filing.pk)
        .exclude(pk=filing.acceptance_of_id or 0)
    )
    return rules.repeat_within_window(this=_visit(filing), previous=[_visit(o) for o in others], window_days=days)


# --- R07 ---------------------------------------------------------------------------------------


def r07_reason(filing: Filing) -> str:
    """The filing's reason in R07's terms ("planned" for a planned filing)."""
    if not filing.urgent_reason:
        return "planned"
    return R07_REASONS.get(filing.urgent_reason, filing.urgent_reason)


def check_grade_a(filing: Filing, enterprise: Any) -> Finding | None:
    """R07: on-site inspection of a grade-A enterprise without an allowed reason (random items exempt)."""
    if filing.item.mode == InspectionMode.RANDOM:
        return None
    return rules.grade_a_onsite(
        grade=enterprise.grade,
        method=filing.method,
        reason=r07_reason(filing),
        allowed=frozenset(figure("grading.a_allowed_reasons.reasons")),
    )


# --- R08 ---------------------------------------------------------------------------------------


def check_acceptance(filing: Filing) -> Finding | None:
    """R08: acceptance visits after one superior inspection, counted per superior filing."""
    if filing.acceptance_of_id is None:
        return None
    visits = Filing.objects.filter(acceptance_of_id=filing.acceptance_of_id, status=FilingStatus.ACTIVE).count()
    return rules.too_many_acceptance_visits(visits=visits, maximum=int(figure("acceptance_visit.max_after_superior")))


# --- R09 ---------------------------------------------------------------------------------------


def filing_level(filing: Filing) -> str:
    """The level that carries out the inspection: the superior's when filed by a counterpart."""
    if filing.superior_department is not None:
        return str(filing.superior_department.level)
    return str(filing.department.level)


def _partner_ids(filing: Filing) -> set[int]:
    return {p.pk for p in filing.partners.all()}


def _level_visit(filing: Filing, coordinated: frozenset[str] = frozenset()) -> rules.LevelVisitFact:
    return rules.LevelVisitFact(
        visit_id=filing.number,
        level=filing_level(filing),
        day=local_day(filing.window_start),
        coordinated_with=coordinated,
    )


def check_multi_level(filing: Filing, enterprise: Any) -> Finding | None:
    """R09: county and township filings for one enterprise within the window, not coordinated."""
    if filing_level(filing) not in LOCAL_LEVELS:
        return None
    days = int(figure("multi_level.separate_window_days"))
    others = [
        o
        for o in _nearby(filing, enterprise, days)
        .select_related("department", "superior_department")
        .prefetch_related("partners")
        if filing_level(o) in LOCAL_LEVELS
    ]
    mine = _partner_ids(filing)
    coordinated = frozenset(
        o.number for o in others if o.department_id in mine or filing.department_id in _partner_ids(o)
    )
    return rules.multi_level_separate(
        this=_level_visit(filing, coordinated), others=[_level_visit(o) for o in others], window_days=days
    )
