"""Per-app rows of the access matrix (tests/test_access_matrix.py).

Each module lists its routes in ``TABLE`` and creates, in ``populate(county)``, the objects of the
FIRST department/enterprise that its ``obj``/``marker`` lambdas read (set as attributes on the county).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from qijian.core.testing import County

MODULES = (
    "meetings",
    "catalog",
    "plans",
    "inspections",
    "oversight",
    "checkins",
    "grading",
    "sampling",
    "joint",
    "followups",
    "questionnaires",
    "complaints",
    "referrals",
    "evaluation_summary",
)


def _modules() -> list[Any]:
    return [import_module(f"tests.access_rules.{name}") for name in MODULES]


EXTRA_TABLE: dict[str, Any] = {}
for _module in _modules():
    EXTRA_TABLE |= _module.TABLE


def populate_all(county: County) -> None:
    for module in _modules():
        module.populate(county)
