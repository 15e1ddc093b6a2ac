"""The demo county: pure generators of enterprises and inspectors (deterministic)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from qijian.core.codes.uscc import ALPHABET, make_uscc
from qijian.core.demo.base import (
    _NEW_CODES_FROM,
    COUNTY_CODE,
    DEPARTMENTS_TOML,
    ENTERPRISE_COUNT,
    NAMES_TOML,
    PILOT_INDICES,
    SEED,
    EnterpriseSpec,
    InspectorSpec,
    read_toml,
)

# --- pure generators ---------------------------------------------------------------------------------


class _Words:
    """Draws names, places and codes from the word lists under one seeded generator."""

    def __init__(self, names: dict[str, Any], townships: dict[str, str], seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (reproducible demo data, not secrets)
        self.w = names
        self.townships = townships  # code -> name

    def person(self) -> str:
        size = self.rng.choice((1, 2, 2))
        return self.rng.choice(self.w["surnames"]) + "".join(self.rng.sample(self.w["given"], size))

    def phone(self) -> str:
        return f"0317-{self.rng.randint(3000000, 7999999)}"

    def brand(self) -> str:
        first, second = self.rng.choice(self.w["brand_first"]), self.rng.choice(self.w["brand_second"])
        return first + second if first != second else first + "源"

    def weighted(self, table: dict[str, int]) -> str:
        return self.rng.choices(list(table), weights=list(table.values()))[0]

    def address(self, township: str) -> str:
        number = self.rng.randint(1, 399)
        if township.endswith("400"):
            return f"河北省沧州市沧县沧东经济开发区{self.rng.choice(self.w['zone_roads'])}{number}号"
        village = self.rng.choice(self.w["village_first"]) + self.rng.choice(self.w["village_last"])
        return f"河北省沧州市沧县{self.townships[township]}{village}村{number}号"

    def org_body(self, new_style: bool) -> str:
        if new_style:
            return "MA0" + "".join(self.rng.choice(ALPHABET) for _ in range(5))
        return str(self.rng.randint(60000000, 79999999))

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))


def _short_town(name: str) -> str:
    for suffix in ("回族乡", "经济开发区", "镇", "乡"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def enterprise_name(kind: str, section: str, brand: str, word: str, town: str, place: str) -> str:
    """A registered name in the usual pattern: place + brand + industry word + organisational form."""
    short = _short_town(town)
    if kind == "sole":
        return f"沧县{town}{brand}{word}" + {"C": "厂", "A": "农场", "F": "商行", "H": "店"}.get(section, "经营部")
    if kind == "partnership":
        return f"沧州{brand}{word}合伙企业(普通合伙)"
    if kind == "non_company":
        return f"沧县{brand}{word}厂" if section == "C" else f"沧县{brand}{word}总公司"
    if kind == "branch":
        return f"沧州{brand}{word}有限公司{short}分公司"
    if kind == "foreign":
        return f"香港{brand}{word}有限公司沧州代表处"
    return f"{place}{brand}{word}" + ("股份有限公司" if place == "河北" else "有限公司")


class _EnterpriseGenerator(_Words):
    def __init__(self, names: dict[str, Any], townships: dict[str, str], seed: int) -> None:
        super().__init__(names, townships, seed)
        self.industries = {i["code"]: i for i in names["industry"]}
        self.industry_weights = {code: i["weight"] for code, i in self.industries.items()}
        self.seen_names: set[str] = set()
        self.seen_codes: set[str] = set()

    def township_for(self, industry: dict[str, Any]) -> str:
        preferred = industry.get("townships")
        if preferred and self.rng.random() < 0.6:
            return str(self.rng.choice(preferred))
        return self.weighted(self.w["townships"])

    def unique_name(self, kind: str, industry: dict[str, Any], town: str) -> str:
        while True:
            word = self.rng.choice(industry["words"])
            place = self.rng.choice(("沧县", "沧县", "沧州", "沧州", "河北"))
            name = enterprise_name(kind, industry["code"][0], self.brand(), word, town, place)
            if name not in self.seen_names:
                self.seen_names.add(name)
                return name

    def unique_code(self, new_style: bool) -> str:
        while True:
            code = make_uscc("91" + COUNTY_CODE, self.org_body(new_style))
            if code not in self.seen_codes:
                self.seen_codes.add(code)
                return code

    def status(self) -> str:
        roll = self.rng.random()
        return "closed" if roll < 0.003 else "suspended" if roll < 0.005 else "revoked" if roll < 0.006 else "operating"

    def grade(self) -> str:
        roll = self.rng.random()
        return "A" if roll < 0.10 else "C" if roll < 0.17 else "B"

    def one(self, index: int) -> EnterpriseSpec:
        industry = self.industries[self.weighted(self.industry_weights)]
        township, kind = self.township_for(industry), self.weighted(self.w["types"])
        new_style = self.rng.random() < 0.7
        start, end = (_NEW_CODES_FROM, dt.date(2024, 12, 31)) if new_style else (dt.date(1995, 1, 1), _NEW_CODES_FROM)
        uscc = self.unique_code(new_style)
        if index in PILOT_INDICES:
            uscc = uscc[:17] + ALPHABET[(ALPHABET.index(uscc[17]) + 1) % len(ALPHABET)]
        legal = self.person()
        return EnterpriseSpec(
            uscc=uscc,
            name=self.unique_name(kind, industry, self.townships[township]),
            type=kind,
            industry=industry["code"],
            township=township,
            address=self.address(township),
            legal_representative=legal,
            contact_name=legal if self.rng.random() < 0.5 else self.person(),
            contact_phone=self.phone(),
            status=self.status(),
            grade=self.grade(),
            established_on=self.day(start, end - dt.timedelta(days=1)),
        )


def township_names() -> dict[str, str]:
    from qijian.org.reference import read_regions

    return {r.code: r.name for r in read_regions() if r.level in ("township", "zone")}


def generate_enterprises(count: int = ENTERPRISE_COUNT, *, seed: int = SEED) -> list[EnterpriseSpec]:
    """The demo's enterprises, the same every time; the first N do not depend on ``count``."""
    generator = _EnterpriseGenerator(read_toml(NAMES_TOML), township_names(), seed)
    return [generator.one(index) for index in range(count)]


def _certificate_window(words: _Words, index: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """Five-year certificates; a few expired and a few about to expire, relative to ``today``."""
    if index % 53 == 7:
        until = today - dt.timedelta(days=words.rng.randint(1, 120))
    elif index % 41 == 5:
        until = today + dt.timedelta(days=words.rng.randint(1, 30))
    else:
        until = today + dt.timedelta(days=words.rng.randint(60, 1700))
    return until - dt.timedelta(days=5 * 365), until


def _inspector_status(index: int) -> str:
    return "suspended" if index % 97 == 13 else "left" if index % 131 == 17 else "active"


def generate_inspectors(today: dt.date, *, seed: int = SEED) -> list[InspectorSpec]:
    """Inspectors for every department that has some; certificate numbers are county code + dept + seq."""
    words = _Words(read_toml(NAMES_TOML), {}, seed + 1)
    staffed = [d for d in read_toml(DEPARTMENTS_TOML)["department"] if d.get("inspectors", 0) > 0]
    out: list[InspectorSpec] = []
    for dept_no, dept in enumerate(staffed, start=1):
        for seq in range(1, dept["inspectors"] + 1):
            valid_from, valid_until = _certificate_window(words, len(out), today)
            number = f"{COUNTY_CODE}{dept_no:02d}{seq:03d}"
            name, phone, status = words.person(), words.phone(), _inspector_status(len(out))
            out.append(InspectorSpec(name, number, dept["code"], valid_from, valid_until, status, phone))
    return out
