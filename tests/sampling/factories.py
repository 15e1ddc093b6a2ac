"""A county ready for draws: an approved plan with a random entry, thirty enterprises, six inspectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from qijian.catalog.models import CatalogItem
from qijian.core.codes.uscc import make_uscc
from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.org.models import Inspector
from qijian.plans.models import Plan, PlanEntry
from qijian.sampling import services
from qijian.sampling.models import Draw
from tests.plans.factories import approved_catalog, approved_plan

GRADES = "ABBBBBBBCC"  # 3 A, 21 B, 6 C over thirty enterprises


@dataclass
class Setup:
    county: County
    plan: Plan
    entry: PlanEntry
    items: dict[str, CatalogItem]
    coordinator: Any


def add_enterprises(county: County, n: int = 30, *, start: int = 0) -> list[Enterprise]:
    base = {"type": "company", "industry": county.industry, "address": "沧县", "legal_representative": "赵六"}
    return [
        Enterprise.objects.create(
            uscc=make_uscc("91130921", f"MA1C{start + k:04d}"),
            name=f"沧县抽样{start + k}号公司",
            township=county.township,
            grade=GRADES[k % len(GRADES)],
            **base,
        )
        for k in range(n)
    ]


def add_inspectors(county: County, n: int = 6, *, department: Any = None, tag: str = "S") -> list[Inspector]:
    today = dt.date.today()
    return [
        Inspector.objects.create(
            name=f"抽样人员{tag}{k}",
            certificate_no=f"1309219{tag}{k:04d}",
            department=department or county.dept,
            certificate_valid_from=today - dt.timedelta(days=400),
            certificate_valid_until=today + dt.timedelta(days=800),
        )
        for k in range(n)
    ]


def setup_draws(
    county: County, monkeypatch: pytest.MonkeyPatch, *, enterprises: int = 30, inspectors: int = 6
) -> Setup:
    items = approved_catalog(county.dept)
    plan = approved_plan(county, items, monkeypatch)
    entry = plan.entries.get(item=items["random"])
    add_enterprises(county, enterprises)
    add_inspectors(county, inspectors)
    return Setup(county, plan, entry, items, county.user("random_coordinator"))


def drawn(setup: Setup, **kwargs: Any) -> Draw:
    actor = setup.coordinator
    row = services.prepare_draw(actor=actor, entries=[setup.entry], **({"count": 6} | kwargs))
    row = services.commit_seed(actor=actor, draw=row)
    return services.execute_draw(actor=actor, draw=row)
