"""The API write cases of random draws (used by tests/api/write_cases.py) and a draw for the read cases."""

from __future__ import annotations

from typing import Any

import pytest

from qijian.core.testing import County
from qijian.sampling import services
from qijian.sampling.models import Draw
from tests.sampling.factories import setup_draws

Case = tuple[int | None, dict[str, Any]]


def _prepared(county: County, mp: pytest.MonkeyPatch) -> Draw:
    setup = setup_draws(county, mp, enterprises=4, inspectors=2)
    return services.prepare_draw(actor=setup.coordinator, entries=[setup.entry], count=2)


def _committed(county: County, mp: pytest.MonkeyPatch) -> Draw:
    return services.commit_seed(actor=county.user("random_coordinator"), draw=_prepared(county, mp))


def prepare_case(county: County, mp: pytest.MonkeyPatch) -> Case:
    setup = setup_draws(county, mp, enterprises=4, inspectors=2)
    return None, {"entries": [setup.entry.pk], "count": 2}


def commit_case(county: County, mp: pytest.MonkeyPatch) -> Case:
    return _prepared(county, mp).pk, {}


def draw_case(county: County, mp: pytest.MonkeyPatch) -> Case:
    return _committed(county, mp).pk, {}


def publish_case(county: County, mp: pytest.MonkeyPatch) -> Case:
    actor = county.user("random_coordinator")
    return services.execute_draw(actor=actor, draw=_committed(county, mp)).pk, {}


def sample_draw(county: County, mp: pytest.MonkeyPatch) -> Draw:
    """A committed draw of the first department for the read operations (written directly: the
    populated county already holds that department's catalog and plan)."""
    from tests.access_rules.sampling import populate

    populate(county)
    return county.draw  # type: ignore[attr-defined,no-any-return]
