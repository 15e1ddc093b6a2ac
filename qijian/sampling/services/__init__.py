"""Writes of the sampling app (random draws): prepare, commit seed, draw, publish; and replay."""

from __future__ import annotations

from qijian.sampling.services.inputs import (  # noqa: F401
    Request,
    SamplingError,
    build_input,
    excluded_ids,
    pool_queryset,
)
from qijian.sampling.services.verify import Verdict, verify  # noqa: F401
from qijian.sampling.services.workflow import (  # noqa: F401
    commit_seed,
    discard_draw,
    execute_draw,
    prepare_draw,
    publish_results,
    replay,
    stored_input,
)
