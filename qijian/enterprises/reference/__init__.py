"""Reference industries: GB/T 4754-2017 sections, all 97 divisions and the classes the county uses.

Codes carry the section letter: "C" (section), "C13" (division), "C137" (group), "C1373" (class).
The data lives in ``gbt4754_2017.csv`` beside this module (code, name).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import transaction

from qijian.enterprises.models import Industry
from qijian.enterprises.services import create_industry

INDUSTRIES_CSV = Path(__file__).with_name("gbt4754_2017.csv")


def parent_code(code: str) -> str:
    """The code one level up: C1373 → C137 → C13 → C; a section has none."""
    if len(code) == 1:
        return ""
    return code[:1] if len(code) == 3 else code[:-1]


def read_industries(path: Path = INDUSTRIES_CSV) -> list[tuple[str, str]]:
    """(code, name) pairs ordered so that every parent precedes its children."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(r["code"], r["name"]) for r in csv.DictReader(handle)]
    return sorted(rows, key=lambda row: (len(row[0]), row[0]))


@transaction.atomic
def load_industries(*, actor: Any, path: Path = INDUSTRIES_CSV) -> int:
    """Create the industries that are missing (matched by code); return how many were created."""
    known: dict[str, Industry] = Industry.objects.in_bulk(field_name="code")
    created = 0
    for code, name in read_industries(path):
        if code in known:
            continue
        parent = known.get(parent_code(code))
        known[code] = create_industry(actor=actor, code=code, name=name, parent=parent)
        created += 1
    return created
