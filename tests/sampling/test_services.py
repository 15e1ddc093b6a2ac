"""The draw's services: prepare → commit → draw → publish, exclusions, refusals that write nothing."""

from __future__ import annotations

import pytest

from qijian.audit.models import AuditEvent
from qijian.org.models import Conflict
from qijian.sampling import services
from qijian.sampling.choices import DrawStatus
from qijian.sampling.models import Draw, DrawResult, TeamMember
from tests.sampling.factories import Setup, drawn, setup_draws


@pytest.fixture
def setup(county, monkeypatch) -> Setup:  # type: ignore[no-untyped-def]
    return setup_draws(county, monkeypatch)


def test_draw_stores_results_with_teams_of_two_and_verifies(setup: Setup) -> None:
    row = drawn(setup)
    assert row.status == DrawStatus.DRAWN
    results = list(DrawResult.objects.filter(draw=row).prefetch_related("members"))
    assert len(results) == 6
    assert all(len(r.members.all()) == 2 for r in results)
    assert services.verify(row).ok


def test_seed_is_hidden_until_the_draw_and_its_hash_is_published(setup: Setup) -> None:
    actor = setup.coordinator
    row = services.commit_seed(actor=actor, draw=services.prepare_draw(actor=actor, entries=[setup.entry], count=6))
    assert row.seed_hash and row.seed_public == ""
    events = AuditEvent.objects.filter(action="sampling.commit_seed")
    assert row.seed not in str(list(events.values_list("after", flat=True)))
    row = services.execute_draw(actor=actor, draw=row)
    assert row.seed_public == row.seed


def test_replay_with_a_wrong_seed_is_refused(setup: Setup) -> None:
    row = drawn(setup)
    with pytest.raises(services.SamplingError, match="种子哈希不符"):
        services.verify(row, "00" * 32)


@pytest.mark.tampered
def test_tampered_result_row_is_reported_by_verify(setup: Setup) -> None:
    row = drawn(setup)
    first = DrawResult.objects.filter(draw=row).order_by("position").first()
    other = row.pool_size and DrawResult.objects.exclude(pk=first.pk).filter(draw=row).first()  # type: ignore[union-attr]
    DrawResult.objects.filter(pk=first.pk).update(position=9999)  # type: ignore[union-attr]
    verdict = services.verify(row)
    assert other and not verdict.ok and "不一致" in verdict.problems[0]


def test_enterprise_drawn_this_year_for_the_item_is_excluded_next_time(setup: Setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = drawn(setup)
    taken = set(DrawResult.objects.filter(draw=first).values_list("enterprise_id", flat=True))
    year = setup.plan.year
    request = services.Request((setup.entry,), count=6)
    assert taken <= services.excluded_ids(request, year, setup.entry.window_start, setup.entry.window_end)
    data = services.build_input(request, year, setup.entry.window_start, setup.entry.window_end)
    assert taken and not taken & set(data.pool.ids.tolist())


def test_conflicted_inspector_is_never_on_the_team(setup: Setup) -> None:
    from qijian.enterprises.models import Enterprise

    person = setup.county.inspector
    for enterprise in Enterprise.objects.all():
        Conflict.objects.create(inspector=person, enterprise=enterprise, reason="亲属", declared_on="2026-01-01")
    row = drawn(setup)
    assert not TeamMember.objects.filter(result__draw=row, inspector=person).exists()


def test_item_with_no_applicable_enterprise_is_refused_and_nothing_written(setup: Setup) -> None:
    from qijian.enterprises.models import Industry

    other = Industry.objects.create(code="Z99", name="无企业行业")
    setup.entry.item.industries.add(other)
    with pytest.raises(services.SamplingError, match="抽取池为空"):
        services.prepare_draw(actor=setup.coordinator, entries=[setup.entry], count=3)
    assert not Draw.objects.exists()


def test_too_few_inspectors_stops_with_a_message(setup: Setup) -> None:
    from qijian.org.models import Inspector

    Inspector.objects.exclude(pk__in=Inspector.objects.order_by("id").values("pk")[:1]).update(status="left")
    with pytest.raises(services.SamplingError, match="至少需要 2 名"):
        services.prepare_draw(actor=setup.coordinator, entries=[setup.entry], count=3)
    assert not Draw.objects.exists()


def test_too_many_visits_for_the_days_stops_without_reusing_people(setup: Setup) -> None:
    with pytest.raises(services.SamplingError, match=r"超过100%|执法人员"):
        drawn(setup, count=40)


def test_only_the_random_coordinator_may_draw(setup: Setup) -> None:
    with pytest.raises(services.SamplingError, match="双随机牵头"):
        services.prepare_draw(actor=setup.county.user("office"), entries=[setup.entry], count=3)


def test_entry_cannot_be_drawn_twice(setup: Setup) -> None:
    drawn(setup)
    with pytest.raises(services.SamplingError, match="已有抽取记录"):
        services.prepare_draw(actor=setup.coordinator, entries=[setup.entry], count=3)


def test_targeted_entry_is_refused(setup: Setup) -> None:
    targeted = setup.plan.entries.get(item=setup.items["targeted"])
    with pytest.raises(services.SamplingError, match="不是双随机事项"):
        services.prepare_draw(actor=setup.coordinator, entries=[targeted], count=3)


def test_publish_needs_a_drawn_draw(setup: Setup) -> None:
    actor = setup.coordinator
    row = services.prepare_draw(actor=actor, entries=[setup.entry], count=3)
    with pytest.raises(services.SamplingError, match="已抽取"):
        services.publish_results(actor=actor, draw=row)
    row = services.execute_draw(actor=actor, draw=services.commit_seed(actor=actor, draw=row))
    assert services.publish_results(actor=actor, draw=row).status == DrawStatus.PUBLISHED


def test_sql_pool_agrees_with_the_pure_scope(setup: Setup) -> None:
    from qijian.enterprises.models import Enterprise, Industry
    from qijian.sampling.draw import Candidate, build_pool
    from qijian.sampling.services.inputs import scope

    setup.entry.item.industries.add(Industry.objects.get(code="C13"))
    setup.entry.item.enterprise_types = ["company"]
    setup.entry.item.save(update_fields=["enterprise_types"])
    Enterprise.objects.filter(pk__in=Enterprise.objects.order_by("id").values("pk")[:3]).update(type="sole")
    Enterprise.objects.filter(pk__in=Enterprise.objects.order_by("-id").values("pk")[:2]).update(status="closed")
    request = services.Request((setup.entry,), count=3, townships=(setup.county.township.pk,))
    year, start, end = setup.plan.year, setup.entry.window_start, setup.entry.window_end
    rows = Enterprise.objects.select_related("industry")
    candidates = [
        Candidate(e.pk, e.grade, e.industry.code, e.type, e.township_id, e.status == "operating") for e in rows
    ]
    expected = build_pool(candidates, scope(request), frozenset())
    got = services.build_input(request, year, start, end).pool
    assert got.ids.tolist() == expected.ids.tolist() and got.grades.tolist() == expected.grades.tolist()
    assert 0 < got.size < Enterprise.objects.count()


def test_prepared_draw_can_be_discarded_and_the_entry_prepared_again(setup: Setup) -> None:
    actor = setup.coordinator
    first = services.prepare_draw(actor=actor, entries=[setup.entry], count=3)
    services.discard_draw(actor=actor, draw=first)
    assert AuditEvent.objects.filter(action="sampling.discard_draw").count() == 1
    again = services.prepare_draw(actor=actor, entries=[setup.entry], count=4)
    services.commit_seed(actor=actor, draw=again)
    with pytest.raises(services.SamplingError, match="不能放弃"):
        services.discard_draw(actor=actor, draw=again)
    assert Draw.objects.filter(pk=again.pk).exists()
