"""Access-matrix rows of the grading routes: internal grades, read by the overseers and department admins."""

from __future__ import annotations

import datetime as dt

from qijian.core.testing import County
from qijian.grading.models import GradeEntry, GradeList
from tests.access_rules_base import NONE, Rule, _pk, api, page, roles

READERS = roles("office", "supervisor", "random_coordinator", "dept_admin")
OFFICE = roles("office")
_TOKEN = {"token": "0" * 32}

TABLE: dict[str, Rule] = {
    "grading:list_index": page(READERS),
    "grading:list_produce": page(READERS, writers=OFFICE, post_only=True),
    "grading:list_detail": page(READERS, obj=_pk("grade_list")),
    "grading:list_approve": page(READERS, obj=_pk("grade_list"), writers=OFFICE, post_only=True),
    "grading:entry_detail": page(READERS, obj=_pk("grade_entry")),
    "grading:entry_override": page(READERS, obj=_pk("grade_entry"), writers=OFFICE, post_only=True),
    "grading:focus_list": page(READERS),
    "grading:import_upload": page(OFFICE, writers=OFFICE),
    "grading:import_template": page(OFFICE),
    "grading:import_result": page(NONE, obj=lambda c: _TOKEN),
    "grading:import_report": page(NONE, obj=lambda c: _TOKEN),
    "api:gradeentry-list": api(READERS),
    "api:gradeentry-detail": api(READERS, obj=_pk("grade_entry")),
}


def populate(county: County) -> None:
    entry = make_grade_entry(county)
    county.grade_list = entry.grade_list  # type: ignore[attr-defined]
    county.grade_entry = entry  # type: ignore[attr-defined]


def make_grade_entry(county: County) -> GradeEntry:
    """A grade list with one entry for the first enterprise (written directly: services are tested in tests/grading)."""
    grade_list = GradeList.objects.create(
        year=2026, effective_on=dt.date(2026, 1, 1), policy_version="test", produced_at=dt.datetime.now(dt.UTC)
    )
    return GradeEntry.objects.create(
        grade_list=grade_list,
        enterprise=county.enterprise,
        score=80,
        computed_grade="B",
        grade="B",
        previous_grade="B",
        explanation={"contributions": [], "movers": [], "capped_by": [], "band": "B", "data_year": 2025},
    )
