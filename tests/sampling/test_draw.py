"""Property and truth-table tests of the pure draw (qijian/sampling/draw.py, teams.py, snapshot.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qijian.sampling import snapshot
from qijian.sampling.draw import (
    ALGORITHM_VERSION,
    Candidate,
    Clause,
    DrawError,
    DrawInput,
    InspectorIn,
    Pool,
    Scope,
    build_pool,
    draw,
    quotas,
)

WEIGHTS = {"A": "0.5", "B": "1.0", "C": "2.0"}
DAY0 = dt.date(2027, 3, 1).toordinal()


@st.composite
def draw_inputs(draw_: st.DrawFn, joint: bool = False) -> DrawInput:
    size = draw_(st.integers(5, 120))
    grades = draw_(st.lists(st.sampled_from("ABC"), min_size=size, max_size=size))
    ids = sorted(draw_(st.sets(st.integers(1, 10_000), min_size=size, max_size=size)))
    departments = (1, 2, 3)[: draw_(st.integers(2, 3))] if joint else (1,)
    per_dept = draw_(st.integers(2, 8))
    people = tuple(InspectorIn(100 * d + k, d) for d in departments for k in range(per_dept))
    days = tuple(DAY0 + k for k in range(draw_(st.integers(3, 15))))
    conflicts = draw_(st.sets(st.tuples(st.sampled_from([p.id for p in people]), st.sampled_from(ids)), max_size=10))
    busy = draw_(st.sets(st.tuples(st.sampled_from([p.id for p in people]), st.sampled_from(days)), max_size=3))
    count = draw_(st.integers(1, max(1, size // 4)))
    pool = Pool.of(zip(ids, grades, strict=True))
    return DrawInput(
        pool, people, departments, WEIGHTS, days, count=count, conflicts=frozenset(conflicts), busy=frozenset(busy)
    )


def _try(data: DrawInput, seed: bytes = b"s" * 32):  # type: ignore[no-untyped-def]
    try:
        return draw(data, seed)
    except DrawError:
        assume(False)


@settings(max_examples=60, deadline=None)
@given(draw_inputs())
def test_no_conflicted_inspector_and_nobody_twice_a_day(data: DrawInput) -> None:
    out = _try(data)
    seen: set[tuple[int, int]] = set()
    for visit in out.visits():
        assert not {(p, visit.enterprise_id) for p in visit.team} & data.conflicts
        for person in visit.team:
            assert (person, visit.day) not in seen and (person, visit.day) not in data.busy
            seen.add((person, visit.day))


@settings(max_examples=60, deadline=None)
@given(draw_inputs(joint=True))
def test_joint_teams_hold_one_of_each_department_and_at_least_two(data: DrawInput) -> None:
    out = _try(data)
    department = {p.id: p.department_id for p in data.inspectors}
    for visit in out.visits():
        assert len(set(visit.team)) == len(visit.team) >= 2
        assert {department[p] for p in visit.team} == set(data.departments)


@settings(max_examples=60, deadline=None)
@given(draw_inputs())
def test_teams_are_two_and_enterprises_are_drawn_once_from_the_pool(data: DrawInput) -> None:
    out = _try(data)
    assert out.teams.shape[1] == 2 and len(out) == data.count
    assert len(set(out.enterprises.tolist())) == len(out)
    assert set(out.enterprises.tolist()) <= set(data.pool.ids.tolist())


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500), st.integers(1, 40))
def test_grade_shares_are_within_one_of_the_exact_ratio(a: int, b: int, c: int, percent: int) -> None:
    assume(a + b + c > 0)
    counts = {"A": a, "B": b, "C": c}
    try:
        got = quotas(counts, WEIGHTS, base_ratio=f"{percent / 100}")
    except DrawError:
        assume(False)
    base = Fraction(percent, 100)
    for g, w in (("A", Fraction(1, 2)), ("B", Fraction(1)), ("C", Fraction(2))):
        assert abs(got[g] - base * w * counts[g]) < 1 and got[g] <= counts[g]


@settings(max_examples=40, deadline=None)
@given(draw_inputs())
def test_same_seed_same_result_and_another_seed_another(data: DrawInput) -> None:
    out = _try(data)
    assert draw(data, b"s" * 32).digest() == out.digest()
    assume(data.pool.size >= 20 and data.count and data.count >= 4)
    try:
        other = draw(data, b"t" * 32)
    except DrawError:
        return
    assert other.digest() != out.digest()


@settings(max_examples=40, deadline=None)
@given(draw_inputs(joint=True))
def test_snapshot_round_trip_keeps_the_hash_and_the_result(data: DrawInput) -> None:
    again = snapshot.decode(snapshot.encode(data))
    assert snapshot.digest(again) == snapshot.digest(data)
    try:
        expected = draw(data, b"s" * 32).digest()
    except DrawError:
        return
    assert draw(again, b"s" * 32).digest() == expected


def test_workload_is_balanced_within_one_without_conflicts() -> None:
    pool = Pool.of((n, "B") for n in range(1, 201))
    people = tuple(InspectorIn(k, 1) for k in range(1, 8))
    data = DrawInput(pool, people, (1,), WEIGHTS, tuple(DAY0 + k for k in range(20)), count=40)
    loads = Counter(draw(data, b"x" * 32).teams.ravel().tolist())
    assert max(loads.values()) - min(loads.values()) <= 1 and len(loads) == 7


def test_golden_vector_pins_the_algorithm() -> None:
    """A change of numpy's raw PCG64 stream or of the algorithm must bump ALGORITHM_VERSION."""
    pool = Pool.of((n, "ABBBC"[n % 5]) for n in range(1, 101))
    people = tuple(InspectorIn(k, 1) for k in range(1, 7))
    data = DrawInput(pool, people, (1,), WEIGHTS, (DAY0, DAY0 + 1, DAY0 + 2), base_ratio="0.05")
    out = draw(data, bytes(range(32)))
    assert ALGORITHM_VERSION == "qijian-draw/1"
    assert out.enterprises.tolist() == [84, 20, 99, 87, 21, 8]
    assert out.digest() == "24400b6d458e114f14bcf320a1a029a21a6563bb22ee69fe900e08bd1e8bea7d"


def test_pool_builder_applies_industry_type_township_status_and_exclusions() -> None:
    rows = [
        Candidate(1, "B", "C1310", "company", 7),
        Candidate(2, "B", "C1310", "sole", 7),
        Candidate(3, "A", "D4411", "company", 7),
        Candidate(4, "C", "C1310", "company", 8),
        Candidate(5, "B", "C1310", "company", 7, operating=False),
        Candidate(6, "B", "C13", "company", 7),
    ]
    scope = Scope((Clause(("C13",), ("company",)),), townships=(7,))
    assert build_pool(rows, scope, frozenset({6})).ids.tolist() == [1]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"A": "2", "B": "1", "C": "0.5"}, "A类 ≤ B类 ≤ C类"),
        ({"A": "0.5", "B": "1"}, "恰好包含"),
        ({"A": "x", "B": "1", "C": "2"}, "不是有效的数值"),
        ({"A": "0", "B": "0", "C": "0"}, "大于零"),
    ],
)
def test_ratios_that_do_not_add_up_are_refused(weights: dict[str, str], message: str) -> None:
    with pytest.raises(DrawError, match=message):
        quotas({"A": 1, "B": 1, "C": 1}, weights, count=1)


def test_count_beyond_what_the_ratios_allow_is_refused() -> None:
    with pytest.raises(DrawError, match="超过100%"):
        quotas({"A": 0, "B": 2, "C": 2}, WEIGHTS, count=5)


def test_empty_pool_is_refused() -> None:
    with pytest.raises(DrawError, match="抽取池为空"):
        quotas({"A": 0, "B": 0, "C": 0}, WEIGHTS, count=1)


def test_conflict_naming_an_unknown_inspector_is_refused() -> None:
    pool = Pool.of((n, "B") for n in range(1, 11))
    people = (InspectorIn(1, 1), InspectorIn(2, 1))
    data = DrawInput(pool, people, (1,), WEIGHTS, (DAY0,), count=1, conflicts=frozenset({(99, 3)}))
    with pytest.raises(DrawError, match="编号 99"):
        draw(data, b"s" * 32)


def test_too_few_inspectors_for_a_day_stops_rather_than_reusing_anyone() -> None:
    pool = Pool.of((n, "B") for n in range(1, 11))
    people = tuple(InspectorIn(k, 1) for k in range(1, 5))
    data = DrawInput(pool, people, (1,), WEIGHTS, (DAY0,), count=3)
    with pytest.raises(DrawError, match="未被占用的执法人员只有 4 名"):
        draw(data, b"s" * 32)


def test_conflict_everyone_shares_cannot_be_staffed() -> None:
    pool = Pool.of([(1, "B")])
    people = (InspectorIn(1, 1), InspectorIn(2, 1), InspectorIn(3, 1))
    data = DrawInput(pool, people, (1,), WEIGHTS, (DAY0,), count=1, conflicts=frozenset({(1, 1), (2, 1)}))
    with pytest.raises(DrawError, match="回避"):
        draw(data, b"s" * 32)


def test_pool_must_be_strictly_ascending() -> None:
    with pytest.raises(DrawError, match="严格递增"):
        Pool(np.array([3, 2], dtype=np.int64), np.array([0, 1], dtype=np.uint8))
