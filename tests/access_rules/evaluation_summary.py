"""Access-matrix rows of the evaluation_summary routes."""

from __future__ import annotations

from qijian.core.testing import County
from tests.access_rules_base import Rule

TABLE: dict[str, Rule] = {}


def populate(county: County) -> None:
    """Create the objects of the first department/enterprise that this module's rows read."""
