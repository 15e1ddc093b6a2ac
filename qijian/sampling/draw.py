"""The random draw (双随机): which enterprises, on which day, by which inspectors. Pure: no Django, no ORM.

Inputs and outputs are dataclasses (the pool and the result carry numpy arrays so that a
1,000,000-enterprise pool costs milliseconds). Everything random comes from ONE stream, built from
the draw's secret seed as documented in docs/sampling.md and pinned by ``ALGORITHM_VERSION``:

    material = SM3(b"qijian-draw\\n" + ALGORITHM_VERSION + b"\\n" + seed)
    stream   = numpy PCG64(SeedSequence(int.from_bytes(material, "big"))), read ONLY via random_raw()

(``random_raw`` is the bit generator's raw 64-bit output, which numpy keeps stable across versions;
no ``Generator`` method is used.) The stream is consumed in this order: one key per pool member in
pool order (ids ascending); then, for each day that has visits (in order) and each department in
order, one key per inspector of that department in input order.

1. Quotas per grade: ``quotas()`` (largest remainder, so each grade is within one of its exact share).
2. Enterprises: in each grade, the ``quota`` members with the smallest (key, id); visits are ordered
   by (key, id) and visit ``i`` takes day ``days[i % len(days)]``.
3. Teams, day by day: each department supplies its seats from its inspectors free that day (not busy),
   least loaded first (ties by that day's key), so workloads differ by at most one; seats are dealt to
   the day's visits in order; a member with a declared conflict is replaced by a free spare or swapped
   with another team's member of the same department. Nobody serves two teams on one day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from cryptography.hazmat.primitives import hashes

ALGORITHM_VERSION = "qijian-draw/1"
GRADES = ("A", "B", "C")
_GRADE_CODE = {g: n for n, g in enumerate(GRADES)}


class DrawError(ValueError):
    """The draw cannot be made as asked; the message (Chinese) says why. Nothing is drawn."""


def sm3(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


# --- the pool -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An enterprise of the registry, as the pool builder sees it."""

    id: int
    grade: str
    industry: str
    type: str
    township_id: int
    operating: bool = True


@dataclass(frozen=True)
class Clause:
    """What one catalog item applies to (catalog.queries.applies_to): industry prefixes and types; empty = all."""

    prefixes: tuple[str, ...] = ()
    types: tuple[str, ...] = ()

    def admits(self, c: Candidate) -> bool:
        if self.types and c.type not in self.types:
            return False
        return not self.prefixes or c.industry.startswith(self.prefixes)


@dataclass(frozen=True)
class Scope:
    """The pool's rule: every item's clause (a joint draw covers several items), optional townships."""

    clauses: tuple[Clause, ...] = ()
    townships: tuple[int, ...] = ()

    def admits(self, c: Candidate) -> bool:
        if not c.operating or (self.townships and c.township_id not in self.townships):
            return False
        return all(clause.admits(c) for clause in self.clauses)


@dataclass(frozen=True, eq=False)
class Pool:
    """Enterprise ids (int64, strictly ascending) and their grades (uint8: 0=A, 1=B, 2=C)."""

    ids: np.ndarray
    grades: np.ndarray

    def __post_init__(self) -> None:
        if self.ids.shape != self.grades.shape or self.ids.ndim != 1:
            raise DrawError("抽取池的企业编号与分级数量不一致。")
        if self.ids.size > 1 and not bool(np.all(np.diff(self.ids) > 0)):
            raise DrawError("抽取池的企业编号必须严格递增且不重复。")
        if self.grades.size and int(self.grades.max()) >= len(GRADES):
            raise DrawError("抽取池中有未知的企业分级。")

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, str]]) -> Pool:
        rows = sorted(pairs)
        for _, grade in rows:
            if grade not in _GRADE_CODE:
                raise DrawError(f"未知的企业分级:{grade}")
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        grades = np.fromiter((_GRADE_CODE[r[1]] for r in rows), dtype=np.uint8, count=len(rows))
        return cls(ids, grades)

    @property
    def size(self) -> int:
        return int(self.ids.size)

    def counts(self) -> dict[str, int]:
        found = np.bincount(self.grades, minlength=len(GRADES))
        return {g: int(found[n]) for n, g in enumerate(GRADES)}


def build_pool(candidates: Iterable[Candidate], scope: Scope, excluded: frozenset[int] = frozenset()) -> Pool:
    """The enterprises the scope admits, minus the excluded ones (drawn this year, in a joint visit)."""
    return Pool.of((c.id, c.grade) for c in candidates if c.id not in excluded and scope.admits(c))


# --- inputs and outputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InspectorIn:
    id: int
    department_id: int


@dataclass(frozen=True)
class DrawInput:
    """Everything the draw depends on besides the seed (stored as the draw's snapshot)."""

    pool: Pool
    inspectors: tuple[InspectorIn, ...]
    departments: tuple[int, ...]
    weights: Mapping[str, str]
    days: tuple[int, ...]
    count: int | None = None
    base_ratio: str | None = None
    min_team: int = 2
    conflicts: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    busy: frozenset[tuple[int, int]] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Visit:
    enterprise_id: int
    grade: str
    day: int
    team: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class DrawOutput:
    """Visits in draw order: enterprise ids, grade codes, day ordinals, and a (visits × team size) matrix."""

    quotas: Mapping[str, int]
    enterprises: np.ndarray
    grades: np.ndarray
    days: np.ndarray
    teams: np.ndarray
    algorithm_version: str = ALGORITHM_VERSION

    def __len__(self) -> int:
        return int(self.enterprises.size)

    def visits(self) -> Iterator[Visit]:
        rows = zip(
            self.enterprises.tolist(), self.grades.tolist(), self.days.tolist(), self.teams.tolist(), strict=True
        )
        for ent, grade, day, team in rows:
            yield Visit(ent, GRADES[grade], day, tuple(team))

    def canonical(self) -> bytes:
        """One line per visit, ``enterprise,grade,day,inspector.inspector…``, after the version line."""
        line = "%d,%s,%d," + ".".join(["%d"] * self.teams.shape[1])
        letters = [GRADES[g] for g in self.grades.tolist()]
        columns = zip(self.enterprises.tolist(), letters, self.days.tolist(), *self.teams.T.tolist(), strict=True)
        lines = [self.algorithm_version, *(line % row for row in columns)]
        return ("\n".join(lines) + "\n").encode("ascii")

    def digest(self) -> str:
        return sm3(self.canonical())


def canonical_visits(visits: Iterable[Visit], version: str = ALGORITHM_VERSION) -> bytes:
    """The same bytes as ``DrawOutput.canonical`` from stored rows (verify_draw compares the two)."""
    lines = [version] + [f"{v.enterprise_id},{v.grade},{v.day},{'.'.join(map(str, v.team))}" for v in visits]
    return ("\n".join(lines) + "\n").encode("ascii")


# --- quotas -----------------------------------------------------------------------------------------------


def _fraction(value: object, label: str) -> Fraction:
    try:
        number = Fraction(str(value))
    except (ValueError, ZeroDivisionError) as exc:
        raise DrawError(f"{label}不是有效的数值:{value!r}") from exc
    if number < 0:
        raise DrawError(f"{label}不能为负数:{value}")
    return number


def _weights(weights: Mapping[str, object]) -> dict[str, Fraction]:
    if sorted(weights) != sorted(GRADES):
        raise DrawError(f"分级抽查比例应恰好包含 A、B、C 三类,而不是:{'、'.join(sorted(map(str, weights)))}")
    parsed = {g: _fraction(weights[g], f"{g}类抽查比例") for g in GRADES}
    if not parsed["A"] <= parsed["B"] <= parsed["C"] or parsed["B"] == 0:
        raise DrawError("分级抽查比例不合政策:应为 A类 ≤ B类 ≤ C类,且 B类(常规比例)大于零。")
    return parsed


def quotas(
    counts: Mapping[str, int], weights: Mapping[str, object], *, count: int | None = None, base_ratio: object = None
) -> dict[str, int]:
    """How many of each grade to draw.

    The grade's ratio is ``base × weight`` (weights from [grading.sampling_ratio], B = the usual ratio).
    With ``base_ratio`` given, the total is the rounded sum of the exact shares; with ``count`` (a plan
    entry's expected count) the base is solved so that the shares add up to ``count``. Shares are
    rounded by largest remainder (ties: A, B, C), so each grade is within one of its exact share.
    """
    w = _weights(weights)
    weighted = sum((w[g] * counts.get(g, 0) for g in GRADES), Fraction(0))
    if (count is None) == (base_ratio is None):
        raise DrawError("请在“抽取户数”和“基准抽查比例”中恰好填写一项。")
    if weighted == 0:
        raise DrawError("抽取池为空:没有符合条件的企业可供抽取。")
    base = _base(count, base_ratio, weighted)
    exact = {g: base * w[g] * counts.get(g, 0) for g in GRADES}
    for g in GRADES:
        if counts.get(g, 0) and base * w[g] > 1:
            raise DrawError(
                f"{g}类企业的抽查比例为 {float(base * w[g]):.1%},超过100%:抽取户数过多或分级比例不合理,请调整。"
            )
    total = count if count is not None else int(sum(exact.values(), Fraction(0)) + Fraction(1, 2))
    return _largest_remainder(exact, total)


def _base(count: int | None, base_ratio: object, weighted: Fraction) -> Fraction:
    if count is not None:
        if count < 1:
            raise DrawError("抽取户数应为正整数。")
        return Fraction(count) / weighted
    base = _fraction(base_ratio, "基准抽查比例")
    if not 0 < base <= 1:
        raise DrawError("基准抽查比例应大于0且不超过100%。")
    return base


def _largest_remainder(exact: Mapping[str, Fraction], total: int) -> dict[str, int]:
    floors = {g: int(exact[g]) for g in GRADES}
    left = total - sum(floors.values())
    order = sorted(GRADES, key=lambda g: (-(exact[g] - floors[g]), _GRADE_CODE[g]))
    for g in order[:left]:
        floors[g] += 1
    if total < 1:
        raise DrawError("按该比例抽取的企业数为0,请提高比例或扩大范围。")
    return floors


# --- the random stream ------------------------------------------------------------------------------------


def stream(seed: bytes) -> np.random.PCG64:
    material = bytes.fromhex(sm3(b"qijian-draw\n" + ALGORITHM_VERSION.encode() + b"\n" + seed))
    return np.random.PCG64(np.random.SeedSequence(int.from_bytes(material, "big")))


def _keys(bits: np.random.PCG64, n: int) -> np.ndarray:
    return bits.random_raw(n) if n else np.zeros(0, dtype=np.uint64)


# --- the draw ---------------------------------------------------------------------------------------------


def draw(data: DrawInput, seed: bytes) -> DrawOutput:
    """Draw the enterprises and their teams. Raises DrawError (Chinese message) when it cannot."""
    from qijian.sampling.teams import assign_teams, check_people

    if len(seed) < 16:
        raise DrawError("随机种子过短(至少16字节)。")
    check_people(data)
    quota = quotas(data.pool.counts(), data.weights, count=data.count, base_ratio=data.base_ratio)
    bits = stream(seed)
    keys = _keys(bits, data.pool.size)
    chosen = _choose(data.pool, keys, quota)
    enterprises, grades = data.pool.ids[chosen], data.pool.grades[chosen]
    if not data.days:
        raise DrawError("计划检查时间内没有可安排的工作日。")
    days = np.asarray(data.days, dtype=np.int64)[np.arange(chosen.size) % len(data.days)]
    teams = assign_teams(data, bits, enterprises, days)
    return DrawOutput(quota, enterprises, grades, days, teams)


def _choose(pool: Pool, keys: np.ndarray, quota: Mapping[str, int]) -> np.ndarray:
    """Pool positions drawn: per grade the quota smallest (key, id); all ordered by (key, id)."""
    picked = [_smallest(np.flatnonzero(pool.grades == code), keys, quota[g]) for g, code in _GRADE_CODE.items()]
    positions = np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)
    order = np.lexsort((pool.ids[positions], keys[positions]))
    return positions[order]


def _smallest(idx: np.ndarray, keys: np.ndarray, q: int) -> np.ndarray:
    """The q positions of ``idx`` (ascending ids) with the smallest keys; equal keys go to the lower id."""
    if q >= idx.size:
        return idx
    if q == 0:
        return idx[:0]
    mine = keys[idx]
    threshold = mine[np.argpartition(mine, q - 1)[q - 1]]
    below = idx[mine < threshold]
    tied = idx[mine == threshold][: q - below.size]
    return np.concatenate([below, tied])
