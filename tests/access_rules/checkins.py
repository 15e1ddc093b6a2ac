"""Access-matrix rows of this app's routes (see tests/access_rules/__init__.py)."""

from __future__ import annotations

from qijian.core.testing import County
from tests.access_rules_base import Rule

TABLE: dict[str, Rule] = {}


def populate(county: County) -> None:
    """Create the objects this module's ``obj``/``marker`` lambdas name."""
