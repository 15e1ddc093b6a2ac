"""Loading the policy file named by settings.QJ_POLICY (qijian/policy/<name>.toml)."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

POLICY_DIR = Path(__file__).resolve().parent


class PolicyError(ValueError):
    """The policy file is missing, malformed or lacks a figure."""


@cache
def load_policy(name: str) -> dict[str, Any]:
    path = POLICY_DIR / f"{name}.toml"
    if not path.is_file():
        raise PolicyError(f"policy file {path} does not exist")
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    _check_sections(data, path)
    return data


def _check_sections(data: dict[str, Any], path: Path) -> None:
    for key, section in data.items():
        if key == "meta" or not isinstance(section, dict):
            continue
        leaves = [section] if "effective" in section else [v for v in section.values() if isinstance(v, dict)]
        for leaf in leaves:
            if not isinstance(leaf.get("effective"), dt.date) or not leaf.get("source"):
                raise PolicyError(f"{path}: section [{key}] needs an 'effective' date and its 'source' sentence")


def policy() -> dict[str, Any]:
    from django.conf import settings

    return load_policy(settings.QJ_POLICY)


def figure(path: str) -> Any:
    """One figure by dotted path, e.g. ``figure("follow_up.days")``; a missing one fails loudly."""
    node: Any = policy()
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise PolicyError(f"policy {path!r} is not defined")
        node = node[part]
    return node
