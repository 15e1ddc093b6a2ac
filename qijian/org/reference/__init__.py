"""Reference regions: GB/T 2260 codes down to the county, 9-digit statistical codes below it.

The data lives in ``regions.csv`` beside this module (code, name, level, parent code).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from qijian.org.models import Region
from qijian.org.services import create_region

REGIONS_CSV = Path(__file__).with_name("regions.csv")
COUNTY_CODE = "130921"


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent: str


def read_regions(path: Path = REGIONS_CSV) -> list[RegionRow]:
    """Rows in file order; every parent appears before its children."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [RegionRow(r["code"], r["name"], r["level"], r["parent"]) for r in csv.DictReader(handle)]


@transaction.atomic
def load_regions(*, actor: Any, path: Path = REGIONS_CSV) -> int:
    """Create the regions that are missing (matched by code); return how many were created."""
    known: dict[str, Region] = Region.objects.in_bulk(field_name="code")
    created = 0
    for row in read_regions(path):
        if row.code in known:
            continue
        parent = known[row.parent] if row.parent else None
        known[row.code] = create_region(actor=actor, code=row.code, name=row.name, level=row.level, parent=parent)
        created += 1
    return created
