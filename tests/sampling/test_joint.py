"""One industry, one inspection (一业一查): a joint draw over two departments' items, one visit each."""

from __future__ import annotations

import datetime as dt

import pytest

from qijian.enterprises.models import Industry
from qijian.plans.models import Plan, PlanEntry
from qijian.sampling import services
from qijian.sampling.models import DrawResult, TeamMember
from tests.plans.factories import approved_catalog, freeze
from tests.sampling.factories import add_enterprises, add_inspectors

WINDOW = (dt.date(2027, 3, 1), dt.date(2027, 4, 30))


@pytest.fixture
def entries(county, monkeypatch) -> list[PlanEntry]:  # type: ignore[no-untyped-def]
    """An approved annual random plan (written directly) with one random item of each department."""
    freeze(monkeypatch, dt.date(2027, 2, 1))
    plan = Plan.objects.create(kind="annual_random", department=county.dept, year=2027, status="approved")
    made = []
    for department, prefix in ((county.dept, "YJ"), (county.other_dept, "HB")):
        item = approved_catalog(department, prefix=prefix)["random"]
        made.append(
            PlanEntry.objects.create(
                plan=plan,
                item=item,
                basis="依据",
                mode="random",
                window_start=WINDOW[0],
                window_end=WINDOW[1],
                expected_count=4,
            )
        )
    add_enterprises(county, 20)
    add_inspectors(county, 4)
    add_inspectors(county, 4, department=county.other_dept, tag="H")
    return made


def test_joint_draw_gives_one_visit_per_enterprise_with_each_department_on_the_team(county, entries) -> None:  # type: ignore[no-untyped-def]
    actor = county.user("random_coordinator")
    draw = services.prepare_draw(actor=actor, entries=entries, count=6, industry_prefix="C13")
    draw = services.execute_draw(actor=actor, draw=services.commit_seed(actor=actor, draw=draw))
    results = DrawResult.objects.filter(draw=draw)
    assert results.count() == 6 and len(set(results.values_list("enterprise_id", flat=True))) == 6
    for result in results:
        departments = set(TeamMember.objects.filter(result=result).values_list("inspector__department_id", flat=True))
        assert departments == {county.dept.pk, county.other_dept.pk}
    assert set(draw.departments.values_list("pk", flat=True)) == {county.dept.pk, county.other_dept.pk}


def test_joint_draw_needs_an_industry(county, entries) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(services.SamplingError, match="须指定行业"):
        services.prepare_draw(actor=county.user("random_coordinator"), entries=entries, count=3)


def test_joint_draw_in_an_industry_without_enterprises_is_refused(county, entries) -> None:  # type: ignore[no-untyped-def]
    Industry.objects.create(code="B06", name="煤炭开采和洗选业")
    with pytest.raises(services.SamplingError, match="抽取池为空"):
        services.prepare_draw(actor=county.user("random_coordinator"), entries=entries, count=3, industry_prefix="B06")
