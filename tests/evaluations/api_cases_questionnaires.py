"""API write cases of the questionnaires endpoints (merged into tests/api/write_cases.py)."""

from __future__ import annotations

from typing import Any

import pytest

from qijian.core.testing import County

Case = tuple[int | None, dict[str, Any]]

# (method, path) → Write(role, build); see tests/api/write_cases.py.
WRITES: dict[tuple[str, str], Any] = {}


def populate(county: County, mp: pytest.MonkeyPatch) -> dict[str, int]:
    """One object of each resource of this module (API basename path segment → id), for retrieves."""
    return {}
