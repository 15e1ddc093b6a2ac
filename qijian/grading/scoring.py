"""The grading score (mechanism 7): a pure function from indicator values to a grade with its explanation.

No Django import: the policy's ``[grading.score]`` and ``[grading.indicators]`` tables are turned into a
``ScoringPolicy`` by ``policy_from_tables`` (validated: weights add up, levels and caps are monotone),
and ``grade(values, policy)`` returns a ``GradeResult``.

Each indicator earns a sub-score in [0, 1]; its points are sub-score × group weight × indicator weight
× 100, and the score is the sum of the points. The score's band (A from ``a_min``, B from ``b_min``,
else C) can be lowered — never raised — by an indicator's cap (a 失信 credit rating caps the grade at C).
A better value of any indicator never lowers its sub-score, its points, the score or the grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

GRADES = ("A", "B", "C")  # best first
GROUPS = ("lawful", "risk", "technology", "contribution")
KINDS = ("level", "count", "steps")
Value = str | int | float | None
_EPSILON = 1e-6


class ScoringPolicyError(ValueError):
    """The policy's grading tables are inconsistent (weights, levels, caps)."""


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    label: str
    group: str
    data: str
    weight: float  # inside its group
    kind: str
    levels: tuple[tuple[str, float], ...] = ()  # "level": best first
    per_unit: float = 0.0  # "count"
    steps: tuple[tuple[float, float], ...] = ()  # "steps": ascending thresholds
    caps: tuple[tuple[str, str], ...] = ()  # level name or count threshold -> worst grade allowed


@dataclass(frozen=True)
class ScoringPolicy:
    groups: Mapping[str, float]
    indicators: tuple[IndicatorRule, ...]
    a_min: float
    b_min: float
    missing: float

    def max_points(self, rule: IndicatorRule) -> float:
        return 100.0 * self.groups[rule.group] * rule.weight


@dataclass(frozen=True)
class Contribution:
    """What one indicator did to the score: points earned, points lost against full marks, its cap."""

    code: str
    label: str
    group: str
    value: Value
    subscore: float
    points: float
    lost: float
    cap: str | None = None


@dataclass(frozen=True)
class GradeResult:
    score: float
    band: str  # the grade the score alone gives
    grade: str  # after the caps
    contributions: tuple[Contribution, ...]

    @property
    def capped_by(self) -> tuple[str, ...]:
        """Indicators whose cap made the grade worse than the band."""
        return tuple(c.code for c in self.contributions if c.cap and _worse(c.cap, self.band))

    def movers(self, limit: int = 3) -> tuple[Contribution, ...]:
        """The indicators that cost the most points, then those that capped the grade."""
        lost = sorted((c for c in self.contributions if c.lost > _EPSILON), key=lambda c: -c.lost)
        capped = [c for c in self.contributions if c.code in self.capped_by and c not in lost[:limit]]
        return tuple(capped + lost[:limit])


def _worse(a: str, b: str) -> bool:
    return GRADES.index(a) > GRADES.index(b)


def worst(*grades: str) -> str:
    return max(grades, key=GRADES.index)


# --- sub-scores and caps ---------------------------------------------------------------------------


def subscore(rule: IndicatorRule, value: Value, missing: float) -> float:
    if value is None:
        return missing
    if rule.kind == "level":
        return dict(rule.levels)[str(value)]
    if rule.kind == "count":
        return max(0.0, 1.0 - rule.per_unit * float(value))
    reached = [score for start, score in rule.steps if float(value) >= start]
    return reached[-1] if reached else 0.0


def cap_of(rule: IndicatorRule, value: Value) -> str | None:
    if value is None or not rule.caps:
        return None
    if rule.kind == "level":
        return dict(rule.caps).get(str(value))
    hit = [grade for start, grade in rule.caps if float(value) >= float(start)]
    return worst(*hit) if hit else None


def band_of(score: float, policy: ScoringPolicy) -> str:
    if score + _EPSILON >= policy.a_min:
        return "A"
    return "B" if score + _EPSILON >= policy.b_min else "C"


def grade(values: Mapping[str, Value], policy: ScoringPolicy) -> GradeResult:
    """Score one enterprise; ``values`` maps indicator codes to values (missing code = no value)."""
    contributions = tuple(_contribution(rule, values.get(rule.code), policy) for rule in policy.indicators)
    score = round(sum(c.points for c in contributions), 2)
    band = band_of(score, policy)
    final = worst(band, *(c.cap for c in contributions if c.cap))
    return GradeResult(score=score, band=band, grade=final, contributions=contributions)


def _contribution(rule: IndicatorRule, value: Value, policy: ScoringPolicy) -> Contribution:
    sub = subscore(rule, value, policy.missing)
    full = policy.max_points(rule)
    points = sub * full
    return Contribution(
        code=rule.code,
        label=rule.label,
        group=rule.group,
        value=value,
        subscore=sub,
        points=round(points, 2),
        lost=round(full - points, 2),
        cap=cap_of(rule, value),
    )


# --- building and checking the policy --------------------------------------------------------------


def policy_from_tables(score: Mapping[str, Any], indicators: Mapping[str, Any]) -> ScoringPolicy:
    """Build and validate a ScoringPolicy from the policy file's two tables."""
    rules = tuple(_rule(code, table) for code, table in indicators.items() if isinstance(table, Mapping))
    policy = ScoringPolicy(
        groups=dict(score["groups"]),
        indicators=rules,
        a_min=float(score["a_min"]),
        b_min=float(score["b_min"]),
        missing=float(score["missing"]),
    )
    check_policy(policy)
    return policy


def _rule(code: str, table: Mapping[str, Any]) -> IndicatorRule:
    return IndicatorRule(
        code=code,
        label=str(table["label"]),
        group=str(table["group"]),
        data=str(table["data"]),
        weight=float(table["weight"]),
        kind=str(table["kind"]),
        levels=tuple((str(k), float(v)) for k, v in table.get("levels", {}).items()),
        per_unit=float(table.get("per_unit", 0.0)),
        steps=tuple((float(a), float(b)) for a, b in table.get("steps", [])),
        caps=tuple((str(k), str(v)) for k, v in table.get("caps", {}).items()),
    )


def check_policy(policy: ScoringPolicy) -> None:
    if set(policy.groups) != set(GROUPS) or abs(sum(policy.groups.values()) - 1) > _EPSILON:
        raise ScoringPolicyError("group weights must name the four groups and add up to 1")
    if not 0 <= policy.b_min <= policy.a_min <= 100 or not 0 <= policy.missing <= 1:
        raise ScoringPolicyError("thresholds must satisfy 0 <= b_min <= a_min <= 100; missing in [0, 1]")
    for group in GROUPS:
        weights = [r.weight for r in policy.indicators if r.group == group]
        if weights and abs(sum(weights) - 1) > _EPSILON:
            raise ScoringPolicyError(f"indicator weights of group {group} must add up to 1")
    for rule in policy.indicators:
        _check_rule(rule)


def _check_rule(rule: IndicatorRule) -> None:
    if rule.group not in GROUPS or rule.kind not in KINDS or rule.weight < 0:
        raise ScoringPolicyError(f"indicator {rule.code}: unknown group or kind, or a negative weight")
    if any(grade not in GRADES for _, grade in rule.caps):
        raise ScoringPolicyError(f"indicator {rule.code}: a cap names an unknown grade")
    checks = {"level": _check_levels, "count": _check_count, "steps": _check_steps}
    checks[rule.kind](rule)


def _non_increasing(values: list[float]) -> bool:
    return all(a >= b for a, b in pairwise(values))


def _check_levels(rule: IndicatorRule) -> None:
    scores = [s for _, s in rule.levels]
    caps = dict(rule.caps)
    ranks = [GRADES.index(caps.get(name, "A")) for name, _ in rule.levels]
    if not rule.levels or not _non_increasing(scores) or not all(0 <= s <= 1 for s in scores):
        raise ScoringPolicyError(f"indicator {rule.code}: levels must be listed best first with sub-scores in [0, 1]")
    if sorted(ranks) != ranks or not set(caps) <= {name for name, _ in rule.levels}:
        raise ScoringPolicyError(f"indicator {rule.code}: a worse level may not have a better cap")


def _check_count(rule: IndicatorRule) -> None:
    if rule.per_unit < 0 or any(not start.isdigit() for start, _ in rule.caps):
        raise ScoringPolicyError(f"indicator {rule.code}: per_unit must be >= 0 and caps keyed by counts")


def _check_steps(rule: IndicatorRule) -> None:
    starts, scores = [a for a, _ in rule.steps], [b for _, b in rule.steps]
    if not rule.steps or sorted(starts) != starts or sorted(scores) != scores or rule.caps:
        raise ScoringPolicyError(f"indicator {rule.code}: steps must ascend in both threshold and sub-score")
