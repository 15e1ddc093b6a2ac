"""Replaying a draw (``manage.py verify_draw``): the stored snapshot + the seed must give, byte for byte,
the stored result hash AND the stored result rows. Reads only; a refusal writes nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from qijian.sampling.choices import DrawStatus
from qijian.sampling.draw import Visit, canonical_visits, sm3
from qijian.sampling.models import Draw, DrawResult, TeamMember
from qijian.sampling.services.inputs import SamplingError


@dataclass
class Verdict:
    draw_id: int
    replay_hash: str = ""
    stored_hash: str = ""
    rows_hash: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def stored_visits(draw_row: Draw) -> list[Visit]:
    team: dict[int, list[int]] = defaultdict(list)
    members = TeamMember.objects.filter(result__draw=draw_row).order_by("result_id", "seat")
    for result_id, inspector_id in members.values_list("result_id", "inspector_id"):
        team[result_id].append(inspector_id)
    rows = DrawResult.objects.filter(draw=draw_row).order_by("position")
    return [
        Visit(enterprise, grade, day.toordinal(), tuple(team[pk]))
        for pk, enterprise, grade, day in rows.values_list("pk", "enterprise_id", "grade", "visit_on")
    ]


def verify(draw_row: Draw, seed_hex: str | None = None) -> Verdict:
    from qijian.sampling.services.workflow import replay

    if draw_row.status not in (DrawStatus.DRAWN, DrawStatus.PUBLISHED):
        raise SamplingError("该抽取尚未执行,没有可复算的结果。")
    try:
        seed = bytes.fromhex(seed_hex if seed_hex is not None else draw_row.seed)
    except ValueError as exc:
        raise SamplingError("随机种子应为十六进制字符串。") from exc
    output = replay(draw_row, seed)
    verdict = Verdict(draw_row.pk, output.digest(), draw_row.result_hash)
    verdict.rows_hash = sm3(canonical_visits(stored_visits(draw_row), draw_row.algorithm_version))
    if verdict.replay_hash != verdict.stored_hash:
        verdict.problems.append("复算结果的哈希与抽取时记录的结果哈希不一致。")
    if verdict.rows_hash != verdict.replay_hash:
        verdict.problems.append("数据库中保存的抽取结果与复算结果不一致(结果记录可能被改动)。")
    return verdict
