"""Grading services: the draft list, overrides, approval by a meeting decision, entry into force."""

from __future__ import annotations

import datetime as dt

import pytest

from qijian.audit.models import AuditEvent
from qijian.core.imports.digest import sm3_of_keys
from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.grading import services
from qijian.grading.models import GradeEntry, GradeList, IndicatorValue
from qijian.grading.services import GradingError
from tests.grading.factories import DECEMBER, GOOD, POOR, checkin, draft, grading_decision, in_force, values
from tests.plans.factories import freeze

pytestmark = pytest.mark.django_db


def entry_of(grade_list: GradeList, enterprise: Enterprise) -> GradeEntry:
    return grade_list.entries.get(enterprise=enterprise)


def test_draft_list_grades_every_operating_enterprise_with_its_explanation(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    values(county.enterprise, **GOOD)
    values(county.other_enterprise, **POOR)
    grade_list = draft(county, monkeypatch)
    good, poor = entry_of(grade_list, county.enterprise), entry_of(grade_list, county.other_enterprise)
    assert (grade_list.status, grade_list.effective_on) == ("draft", dt.date(2027, 1, 1))
    assert (good.grade, poor.grade, poor.focus) == ("A", "C", True)
    assert poor.explanation["capped_by"] == ["credit_rating"] and poor.explanation["movers"][0] == "credit_rating"
    assert good.explanation["data_year"] == 2026
    event = AuditEvent.objects.get(action="grading.produce_list")
    assert event.after["by_grade"] == {"A": 1, "B": 0, "C": 1}


def test_checkin_findings_in_the_window_count_and_older_ones_do_not(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    values(county.enterprise, **GOOD)
    checkin(county, county.enterprise, "case_opened")
    checkin(county, county.enterprise, "problems")
    checkin(county, county.enterprise, "problems", days_ago=400)  # outside the 365-day window
    entry = entry_of(draft(county, monkeypatch), county.enterprise)
    counted = {c["code"]: c["value"] for c in entry.explanation["contributions"]}
    assert (counted["cases_opened"], counted["inspection_problems"]) == (1, 1)
    assert entry.grade == "B" and entry.explanation["capped_by"] == ["cases_opened"]


def test_the_latest_imported_year_up_to_the_data_year_is_used(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    values(county.enterprise, year=2025, credit_rating="D")
    values(county.enterprise, year=2026, credit_rating="A")
    values(county.enterprise, year=2027, credit_rating="D")  # after the data year of the 2027 list
    entry = entry_of(draft(county, monkeypatch), county.enterprise)
    assert next(c for c in entry.explanation["contributions"] if c["code"] == "credit_rating")["value"] == "A"


def test_closed_enterprises_are_not_graded(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    Enterprise.objects.filter(pk=county.other_enterprise.pk).update(status="closed")
    assert list(draft(county, monkeypatch).entries.values_list("enterprise", flat=True)) == [county.enterprise.pk]


@pytest.mark.parametrize(("year", "message"), [(2025, "已经过去"), (2028, "下一年度")])
def test_a_list_only_for_this_or_next_year(
    county: County, monkeypatch: pytest.MonkeyPatch, year: int, message: str
) -> None:
    with pytest.raises(GradingError, match=message):
        draft(county, monkeypatch, year=year)
    assert not GradeList.objects.exists()


def test_only_the_office_produces_a_list(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, DECEMBER)
    with pytest.raises(GradingError, match="联席会议办公室"):
        services.produce_draft_list(actor=county.user("supervisor"), year=2027)


def test_recomputing_a_draft_keeps_its_overrides(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    grade_list = draft(county, monkeypatch)
    entry = entry_of(grade_list, county.enterprise)
    services.override_grade(actor=county.user("office"), entry=entry, grade="C", reason="发生重大安全生产事故")
    again = draft(county, monkeypatch)
    kept = entry_of(again, county.enterprise)
    assert again.pk == grade_list.pk and (kept.grade, kept.computed_grade, kept.focus) == ("C", "B", True)
    assert kept.override_reason == "发生重大安全生产事故"


def test_override_needs_a_reason_and_is_audited(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = entry_of(draft(county, monkeypatch), county.enterprise)
    with pytest.raises(GradingError, match="理由"):
        services.override_grade(actor=county.user("office"), entry=entry, grade="A", reason="  ")
    with pytest.raises(GradingError, match="已是B类"):
        services.override_grade(actor=county.user("office"), entry=entry, grade="B", reason="维持原等级不变")
    entry.refresh_from_db()
    assert entry.grade == "B" and not AuditEvent.objects.filter(action="grading.override_grade").exists()
    services.override_grade(actor=county.user("office"), entry=entry, grade="A", reason="获评省级诚信示范企业")
    event = AuditEvent.objects.get(action="grading.override_grade")
    assert (event.before["grade"], event.after["grade"], event.after["override_reason"]) == (
        "B",
        "A",
        "获评省级诚信示范企业",
    )


def test_approval_needs_a_grading_decision_used_once(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    grade_list = draft(county, monkeypatch)
    office = county.user("office")
    with pytest.raises(GradingError, match="分级分类监管清单"):
        services.approve_grade_list(actor=office, grade_list=grade_list, decision=grading_decision(county, "plan"))
    decision = grading_decision(county)
    services.approve_grade_list(actor=office, grade_list=grade_list, decision=decision)
    assert grade_list.status == "approved" and grade_list.decision == decision
    with pytest.raises(GradingError, match="只有草案"):
        services.approve_grade_list(actor=office, grade_list=grade_list, decision=decision)


def test_an_approved_list_waits_for_1_january(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    values(county.enterprise, **GOOD)
    grade_list = draft(county, monkeypatch)
    services.approve_grade_list(actor=county.user("office"), grade_list=grade_list, decision=grading_decision(county))
    with pytest.raises(GradingError, match="尚未到生效日期"):
        services.apply_grade_list(actor=None, grade_list=grade_list)
    assert services.apply_due_lists() == []
    county.enterprise.refresh_from_db()
    assert county.enterprise.grade == "B"


def test_on_1_january_the_list_sets_grades_with_one_audited_digest(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    grade_list = in_force(county, monkeypatch)
    assert Enterprise.objects.get(pk=county.enterprise.pk).grade == "A"
    assert Enterprise.objects.get(pk=county.other_enterprise.pk).grade == "C"
    assert grade_list.status == "in_force" and grade_list.applied_at is not None
    event = AuditEvent.objects.get(action="grading.apply_list")
    lines = [f"{county.enterprise.uscc}:B>A", f"{county.other_enterprise.uscc}:B>C"]
    assert event.after["changed"] == 2 and event.after["changes"] == lines
    assert event.after["changes_sm3"] == sm3_of_keys(lines)


def test_the_daily_check_applies_a_due_list_once(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    values(county.enterprise, **GOOD)
    grade_list = draft(county, monkeypatch)
    services.approve_grade_list(actor=county.user("office"), grade_list=grade_list, decision=grading_decision(county))
    freeze(monkeypatch, dt.date(2027, 1, 2))
    assert services.apply_due_lists() == ["2027年度企业分级分类监管清单已生效,1户企业等级变更。"]
    assert services.apply_due_lists() == []
    assert AuditEvent.objects.filter(action="grading.apply_list").count() == 1


def test_a_late_approval_takes_effect_at_once_and_supersedes_the_old_list(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = in_force(county, monkeypatch)
    freeze(monkeypatch, dt.date(2028, 1, 5))  # the 2028 list, approved late
    newer = services.produce_draft_list(actor=county.user("office"), year=2028)
    services.override_grade(
        actor=county.user("office"), entry=entry_of(newer, county.enterprise), grade="B", reason="纳税信用降级"
    )
    services.approve_grade_list(actor=county.user("office"), grade_list=newer, decision=grading_decision(county))
    old.refresh_from_db()
    assert (newer.status, old.status) == ("in_force", "superseded")
    assert Enterprise.objects.get(pk=county.enterprise.pk).grade == "B"


def test_overriding_an_in_force_entry_changes_the_enterprise_now(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    grade_list = in_force(county, monkeypatch)
    entry = entry_of(grade_list, county.other_enterprise)
    services.override_grade(actor=county.user("office"), entry=entry, grade="B", reason="失信信息已修复")
    assert Enterprise.objects.get(pk=county.other_enterprise.pk).grade == "B"
    assert AuditEvent.objects.filter(action="enterprises.set_grade").count() == 1
    entry.refresh_from_db()
    assert entry.focus is False


def test_indicator_values_replace_the_same_enterprise_and_year(county: County) -> None:
    row = {"enterprise_id": county.enterprise.pk, "uscc": county.enterprise.uscc, "year": 2026}
    services.record_indicator_values(actor=None, rows=[row | {"credit_rating": "B", "employees": 5}])
    services.record_indicator_values(actor=None, rows=[row | {"credit_rating": "A"}])
    stored = IndicatorValue.objects.get(enterprise=county.enterprise)
    assert (stored.credit_rating, stored.employees) == ("A", None)
    event = AuditEvent.objects.filter(action="grading.import_indicators").last()
    assert event is not None and event.after["keys_sm3"] == sm3_of_keys([f"{county.enterprise.uscc}:2026"])
