"""Access-matrix rows of the sampling app (random draws, docs/sampling.md).

Overseers read every draw; a department admin or inspector only the draws its department takes part
in; only the random coordinator prepares, commits, draws and publishes. The public pages (一公开) are
open to anyone.
"""

from __future__ import annotations

from qijian.core.testing import County
from qijian.sampling.choices import DrawStatus
from qijian.sampling.draw import ALGORITHM_VERSION
from qijian.sampling.models import Draw
from tests.access_rules_base import Rule, _pk, api, page, roles

READERS = roles("office", "supervisor", "random_coordinator", "dept_admin", "inspector")
SCOPED = roles("dept_admin", "inspector")
COORDINATOR = roles("random_coordinator")
DRAW = _pk("draw")
TITLE = "矩阵抽取甲部门专用"


def _marker(county: County) -> str:
    return TITLE


TABLE: dict[str, Rule] = {
    "sampling:draw_list": page(READERS, scoped=SCOPED, marker=_marker),
    "sampling:draw_prepare": page(COORDINATOR, writers=COORDINATOR),
    "sampling:draw_detail": page(READERS, scoped=SCOPED, obj=DRAW),
    "sampling:draw_commit": page(READERS, scoped=SCOPED, obj=DRAW, writers=COORDINATOR, post_only=True),
    "sampling:draw_discard": page(READERS, scoped=SCOPED, obj=DRAW, writers=COORDINATOR, post_only=True),
    "sampling:draw_execute": page(READERS, scoped=SCOPED, obj=DRAW, writers=COORDINATOR, post_only=True),
    "sampling:draw_publish": page(READERS, scoped=SCOPED, obj=DRAW, writers=COORDINATOR, post_only=True),
    "public_draws:list": Rule("public"),
    "public_draws:detail": Rule("public", obj=DRAW),
    "api:draw-list": api(READERS, scoped=SCOPED, marker=_marker, writers=COORDINATOR),
    "api:draw-detail": api(READERS, scoped=SCOPED, obj=DRAW),
    "api:draw-results": api(READERS, scoped=SCOPED, obj=DRAW),
    "api:draw-commit": api(READERS, scoped=SCOPED, obj=DRAW, writers=COORDINATOR, post_only=True),
    "api:draw-discard": api(READERS, scoped=SCOPED, obj=DRAW, writers=COORDINATOR, post_only=True),
    "api:draw-draw": api(READERS, scoped=SCOPED, obj=DRAW, writers=COORDINATOR, post_only=True),
    "api:draw-publish": api(READERS, scoped=SCOPED, obj=DRAW, writers=COORDINATOR, post_only=True),
}


def populate(county: County) -> None:
    """A committed draw of the first department (written directly: services are tested in tests/sampling)."""
    import datetime as dt

    draw = Draw.objects.create(
        title=TITLE,
        year=2027,
        window_start=dt.date(2027, 3, 1),
        window_end=dt.date(2027, 3, 31),
        status=DrawStatus.COMMITTED,
        pool_size=2,
        pool_hash="0" * 64,
        algorithm_version=ALGORITHM_VERSION,
        seed_hash="1" * 64,
        seed="2" * 64,
        prepared_by=county.user("random_coordinator"),
    )
    draw.departments.set([county.dept])
    county.draw = draw  # type: ignore[attr-defined]
