"""The draw's steps, each a service with keyword-only ``actor``: prepare → commit seed → draw → publish.

Each validates first (``SamplingError``, Chinese, nothing written), then writes and audits in one
transaction. The seed is made by the server (``secrets``), never typed, and never leaves the database
before the draw: audit events carry its hash only until the draw reveals it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from qijian.accounts.choices import Role
from qijian.audit.services import record_event
from qijian.plans.models import PlanEntry
from qijian.sampling import snapshot
from qijian.sampling.choices import DrawStatus
from qijian.sampling.draw import ALGORITHM_VERSION, DrawError, DrawInput, DrawOutput, draw, quotas, sm3
from qijian.sampling.models import Draw, DrawSnapshot
from qijian.sampling.services.inputs import Request, SamplingError, build_input, check_entries, window
from qijian.sampling.services.store import store_results
from qijian.sampling.teams import check_people

SEED_BYTES = 32
PUBLIC_FIELDS = ["title", "year", "status", "pool_size", "pool_hash", "algorithm_version", "seed_hash", "result_hash"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _require_coordinator(actor: Any) -> None:
    if getattr(actor, "role", None) != Role.RANDOM_COORDINATOR:
        raise SamplingError("只有双随机牵头部门(县市场监管局)可以组织随机抽取。")


def _facts(draw_row: Draw) -> dict[str, Any]:
    return {name: str(getattr(draw_row, name)) for name in PUBLIC_FIELDS} | {"quotas": draw_row.quotas}


def _title(entries: Sequence[PlanEntry]) -> str:
    names = "、".join(e.item.name for e in entries)
    return f"{entries[0].plan.year}年 {names}" + (" 联合抽取(一业一查)" if len(entries) > 1 else " 随机抽取")


def _check_request(request: Request) -> None:
    if request.count is not None and request.base_ratio is not None:
        raise SamplingError("请在“抽取户数”和“基准抽查比例”中只填写一项。")
    if len(request.entries) > 1 and not request.industry_prefix:
        raise SamplingError("一业一查联合抽取须指定行业。")


def _dry_run(data: DrawInput) -> dict[str, int]:
    """Refuse now what the draw would refuse later: empty pool, ratios, people."""
    if data.pool.size == 0:
        raise SamplingError("该事项没有适用的企业:抽取池为空(已排除注销、本年度已抽取、联合检查中的企业)。")
    try:
        check_people(data)
        return quotas(data.pool.counts(), data.weights, count=data.count, base_ratio=data.base_ratio)
    except DrawError as exc:
        raise SamplingError(str(exc)) from exc


@transaction.atomic
def prepare_draw(
    *,
    actor: Any,
    entries: Sequence[PlanEntry],
    count: int | None = None,
    base_ratio: Decimal | None = None,
    townships: Sequence[int] = (),
    industry_prefix: str = "",
) -> Draw:
    """Fix the pool and every other input, store the snapshot and its hash."""
    _require_coordinator(actor)
    entries = list(entries)
    if count is None and base_ratio is None and entries:
        count = max(e.expected_count for e in entries)
    request = Request(
        tuple(entries), count, None if base_ratio is None else str(base_ratio), tuple(townships), industry_prefix
    )
    _check_request(request)
    check_entries(entries)
    start, end = window(entries)
    data = build_input(request, entries[0].plan.year, start, end)
    planned = _dry_run(data)
    row = _create(actor, request, data, start, end, planned)
    record_event(actor=actor, action="sampling.prepare_draw", target=row, after=_facts(row))
    return row


def _create(
    actor: Any, request: Request, data: DrawInput, start: dt.date, end: dt.date, planned: dict[str, int]
) -> Draw:
    row = Draw.objects.create(
        title=_title(request.entries)[:200],
        year=request.entries[0].plan.year,
        industry_prefix=request.industry_prefix,
        count=request.count,
        base_ratio=None if request.base_ratio is None else Decimal(request.base_ratio),
        window_start=start,
        window_end=end,
        pool_size=data.pool.size,
        pool_counts=data.pool.counts(),
        pool_hash=snapshot.digest(data),
        algorithm_version=ALGORITHM_VERSION,
        quotas=planned,
        prepared_by=actor,
    )
    row.entries.set(request.entries)
    row.departments.set(data.departments)
    row.townships.set(request.townships)
    DrawSnapshot.objects.create(draw=row, data=snapshot.encode(data))
    return row


def _locked(draw_row: Draw, status: str, message: str) -> Draw:
    fresh = Draw.objects.select_for_update().get(pk=draw_row.pk)
    if fresh.status != status:
        raise SamplingError(message)
    return fresh


@transaction.atomic
def discard_draw(*, actor: Any, draw: Draw) -> None:
    """Drop a prepared draw (before its seed hash is published), freeing its entries for a new one."""
    _require_coordinator(actor)
    row = _locked(draw, DrawStatus.PREPARED, "种子哈希公布后,抽取不能放弃。")
    record_event(actor=actor, action="sampling.discard_draw", target=row, before=_facts(row))
    row.delete()


@transaction.atomic
def commit_seed(*, actor: Any, draw: Draw) -> Draw:
    """Make the secret seed and publish its SM3 hash (before the draw)."""
    _require_coordinator(actor)
    row = _locked(draw, DrawStatus.PREPARED, "该抽取已公布过种子哈希。")
    seed = secrets.token_bytes(SEED_BYTES)
    row.seed, row.seed_hash = seed.hex(), sm3(seed)
    row.status, row.committed_at = DrawStatus.COMMITTED, _now()
    row.save(update_fields=["seed", "seed_hash", "status", "committed_at", "updated_at"])
    record_event(actor=actor, action="sampling.commit_seed", target=row, after=_facts(row))
    return row


@transaction.atomic
def execute_draw(*, actor: Any, draw: Draw) -> Draw:
    """Run the draw on the stored snapshot with the committed seed; store the results."""
    _require_coordinator(actor)
    row = _locked(draw, DrawStatus.COMMITTED, "只有已公布种子哈希、尚未抽取的抽取可以执行。")
    output = replay(row, bytes.fromhex(row.seed))
    try:
        with transaction.atomic():
            store_results(row, output)
    except IntegrityError as exc:
        raise SamplingError("准备之后已有其他抽取占用了部分执法人员的同一工作日,请重新准备抽取。") from exc
    row.result_hash, row.quotas = output.digest(), dict(output.quotas)
    row.status, row.drawn_at, row.drawn_by = DrawStatus.DRAWN, _now(), actor
    row.save(update_fields=["result_hash", "quotas", "status", "drawn_at", "drawn_by", "updated_at"])
    record_event(actor=actor, action="sampling.execute_draw", target=row, after=_facts(row) | {"seed": row.seed})
    return row


@transaction.atomic
def publish_results(*, actor: Any, draw: Draw) -> Draw:
    """Put the drawn enterprises on the public page (一公开)."""
    _require_coordinator(actor)
    row = _locked(draw, DrawStatus.DRAWN, "只有已抽取、尚未公布的抽取可以公布结果。")
    row.status, row.published_at = DrawStatus.PUBLISHED, _now()
    row.save(update_fields=["status", "published_at", "updated_at"])
    record_event(actor=actor, action="sampling.publish_results", target=row, after=_facts(row))
    return row


def stored_input(draw_row: Draw) -> DrawInput:
    data = snapshot.decode(bytes(DrawSnapshot.objects.get(draw=draw_row).data))
    if snapshot.digest(data) != draw_row.pool_hash:
        raise SamplingError("抽取池快照与记录的哈希不符:快照已被改动。")
    return data


def replay(draw_row: Draw, seed: bytes) -> DrawOutput:
    """The draw recomputed from the stored snapshot; a seed that is not the committed one is refused."""
    if not draw_row.seed_hash or sm3(seed) != draw_row.seed_hash:
        raise SamplingError("随机种子与公布的种子哈希不符,不能复算。")
    if draw_row.algorithm_version != ALGORITHM_VERSION:
        raise SamplingError(f"该抽取使用算法 {draw_row.algorithm_version},本系统为 {ALGORITHM_VERSION},不能复算。")
    try:
        return draw(stored_input(draw_row), seed)
    except DrawError as exc:
        raise SamplingError(str(exc)) from exc
