"""The demo county: Cang County's real regions and departments, plus generated enterprises, inspectors,
conflicts and one account per role.

Generation is pure and deterministic (a fixed seed, prefix-stable: the first N enterprises are the same
whatever the count); loading is idempotent (rows are matched by their natural keys — code, credit code,
certificate number, user name — and only the missing ones are created, through the audited services).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import tomllib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from qijian.core.codes.uscc import ALPHABET, make_uscc

SEED = 2025
DEMO_PASSWORD = "Qijian-Demo-2025"  # noqa: S105 (demo accounts only; printed in the README)
ENTERPRISE_COUNT = 5000
PILOT_INDICES = (41, 1207, 3803)  # early pilot codes (before GB 32100) that fail the check
COUNTY_CODE = "130921"

_ROOT = Path(__file__).resolve().parent.parent
DEPARTMENTS_TOML = _ROOT / "org" / "reference" / "cangxian_departments.toml"
NAMES_TOML = _ROOT / "enterprises" / "reference" / "demo_names.toml"
_NEW_CODES_FROM = dt.date(2015, 10, 1)  # credit codes with an "MA" organisation part start here


@dataclass(frozen=True)
class EnterpriseSpec:
    uscc: str
    name: str
    type: str
    industry: str  # GB/T 4754 class code, e.g. "C3140"
    township: str  # region code
    address: str
    legal_representative: str
    contact_name: str
    contact_phone: str
    status: str
    grade: str
    established_on: dt.date


@dataclass(frozen=True)
class InspectorSpec:
    name: str
    certificate_no: str
    department: str  # department code
    valid_from: dt.date
    valid_until: dt.date
    status: str
    phone: str


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    full_name: str
    department: str = ""  # department code
    is_inspector: bool = False
    is_enterprise: bool = False
    person_number: str = ""  # admin duties (三员) must name their person


DEMO_USERS: tuple[UserSpec, ...] = (
    UserSpec("office", "office", "王晓燕", "130921-FGJ"),
    UserSpec("supervisor", "supervisor", "李建国", "130921-SFJ"),
    UserSpec("random", "random_coordinator", "张丽娟", "130921-SCJGJ"),
    UserSpec("dept_scjg", "dept_admin", "赵志强", "130921-SCJGJ"),
    UserSpec("dept_yjgl", "dept_admin", "孙海涛", "130921-YJGLJ"),
    UserSpec("dept_sthj", "dept_admin", "周文静", "130921-STHJ"),
    UserSpec("inspector1", "inspector", "", "130921-SCJGJ", is_inspector=True),
    UserSpec("inspector2", "inspector", "", "130921-YJGLJ", is_inspector=True),
    UserSpec("enterprise1", "enterprise", "", is_enterprise=True),
    UserSpec("discipline", "discipline", "吴立军", "130921-JWJW"),
    UserSpec("sysadmin", "sysadmin", "郑凯", "130921-SJZWJ", person_number="DEMO-0001"),
    UserSpec("secadmin", "secadmin", "冯雪", "130921-SJZWJ", person_number="DEMO-0002"),
    UserSpec("auditor", "auditor", "陈晨", "130921-SJZWJ", person_number="DEMO-0003"),
)
TOTP_USERS = frozenset({"office", "supervisor", "sysadmin", "secadmin", "auditor"})


def totp_key_hex(username: str) -> str:
    """The fixed demo TOTP key (20 bytes, hex) of a demo account."""
    return hashlib.sha1(f"qijian-demo-totp:{username}".encode(), usedforsecurity=False).hexdigest()


def totp_secret(username: str) -> str:
    """The same key in base32, as authenticator apps take it."""
    return base64.b32encode(bytes.fromhex(totp_key_hex(username))).decode()


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


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


# --- loading (idempotent, through the audited services) -----------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    townships: int
    departments: int
    county_departments: int
    platforms: int
    enterprises: int
    pilot_codes: int
    inspectors: int
    conflicts: int
    users: int
    created_enterprises: int
    created_inspectors: int


def _ensure_departments(config: dict[str, Any]) -> dict[str, Any]:
    from qijian.org.models import Department, Region
    from qijian.org.services import add_platform, create_department

    regions: dict[str, Region] = Region.objects.in_bulk(field_name="code")
    known: dict[str, Department] = Department.objects.in_bulk(field_name="code")
    for row in config["department"]:
        if row["code"] in known:
            continue
        department = create_department(
            actor=None,
            code=row["code"],
            name=row["name"],
            short_name=row["short_name"],
            level=row["level"],
            region=regions[row["region"]],
            parent=known.get(row.get("parent", "")),
            high_frequency=row.get("high_frequency", False),
            is_enforcement=row.get("is_enforcement", True),
        )
        for key in row["platforms"]:
            add_platform(actor=None, department=department, **config["platform"][key])
        known[row["code"]] = department
    return known


def _existing(model: Any, field: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        found.update(model.objects.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
    return found


def _ensure_enterprises(specs: list[EnterpriseSpec]) -> int:
    from qijian.enterprises.models import Enterprise, Industry
    from qijian.enterprises.services import register_enterprises
    from qijian.org.models import Region

    have = _existing(Enterprise, "uscc", [s.uscc for s in specs])
    missing = [s for s in specs if s.uscc not in have]
    if not missing:
        return 0
    industries = Industry.objects.in_bulk(field_name="code")
    townships = Region.objects.in_bulk(field_name="code")
    rows = [
        Enterprise(**{**asdict(s), "industry": industries[s.industry], "township": townships[s.township]})
        for s in missing
    ]
    return register_enterprises(actor=None, enterprises=rows)


def _ensure_inspectors(specs: list[InspectorSpec], departments: dict[str, Any]) -> int:
    from qijian.org.models import Inspector
    from qijian.org.services import register_inspectors

    have = _existing(Inspector, "certificate_no", [s.certificate_no for s in specs])
    rows = [
        Inspector(
            name=s.name,
            certificate_no=s.certificate_no,
            department=departments[s.department],
            certificate_valid_from=s.valid_from,
            certificate_valid_until=s.valid_until,
            status=s.status,
            phone=s.phone,
        )
        for s in specs
        if s.certificate_no not in have
    ]
    return register_inspectors(actor=None, inspectors=rows) if rows else 0


_CONFLICT_REASONS = ("近亲属在该企业任职", "曾在该企业任职未满三年", "与法定代表人系同学关系", "持有该企业股份")


def _ensure_conflicts(inspectors: list[InspectorSpec], enterprises: list[EnterpriseSpec], today: dt.date) -> None:
    from qijian.enterprises.models import Enterprise
    from qijian.org.models import Conflict, Inspector
    from qijian.org.services import declare_conflict

    for i, reason in enumerate(_CONFLICT_REASONS * 2):
        inspector = Inspector.objects.get(certificate_no=inspectors[(i * 37) % len(inspectors)].certificate_no)
        enterprise = Enterprise.objects.get(uscc=enterprises[(i * 997 + 3) % len(enterprises)].uscc)
        if not Conflict.objects.filter(inspector=inspector, enterprise=enterprise).exists():
            day = today - dt.timedelta(days=11 * (i + 1))
            declare_conflict(actor=None, inspector=inspector, enterprise=enterprise, reason=reason, declared_on=day)


def _demo_enterprise(specs: list[EnterpriseSpec]) -> Any:
    from qijian.enterprises.models import Enterprise

    first = next(s for i, s in enumerate(specs) if s.status == "operating" and i not in PILOT_INDICES)
    return Enterprise.objects.get(uscc=first.uscc)


def _free_inspector(department: Any) -> Any:
    from qijian.org.models import Inspector

    return Inspector.objects.filter(department=department, status="active", user__isnull=True).first()


def _full_name(spec: UserSpec, inspector: Any, enterprise: Any) -> str:
    if spec.full_name:
        return spec.full_name
    if inspector is not None:
        return str(inspector.name)
    return str(enterprise.legal_representative) if enterprise is not None else spec.username


def _ensure_user(spec: UserSpec, departments: dict[str, Any], enterprises: list[EnterpriseSpec]) -> None:
    from qijian.accounts.models import User
    from qijian.accounts.services import create_user, enroll_totp

    if User.objects.filter(username=spec.username).exists():
        return
    department = departments.get(spec.department)
    inspector = _free_inspector(department) if spec.is_inspector else None
    enterprise = _demo_enterprise(enterprises) if spec.is_enterprise else None
    full_name = _full_name(spec, inspector, enterprise)
    user = create_user(
        actor=None,
        username=spec.username,
        password=DEMO_PASSWORD,
        role=spec.role,
        full_name=full_name,
        department=department,
        enterprise=enterprise,
        inspector=inspector,
        person_number=spec.person_number,
    )
    if spec.username in TOTP_USERS:
        enroll_totp(actor=None, user=user, key_hex=totp_key_hex(spec.username))


def _summary(created_enterprises: int, created_inspectors: int) -> DemoSummary:
    from qijian.accounts.models import User
    from qijian.enterprises.models import Enterprise
    from qijian.org.models import Conflict, Department, EnforcementPlatform, Inspector, Region

    return DemoSummary(
        townships=Region.objects.filter(parent__code=COUNTY_CODE).count(),
        departments=Department.objects.count(),
        county_departments=Department.objects.filter(level="county", region__code=COUNTY_CODE).count(),
        platforms=EnforcementPlatform.objects.count(),
        enterprises=Enterprise.objects.count(),
        pilot_codes=Enterprise.objects.filter(uscc_status="pilot").count(),
        inspectors=Inspector.objects.count(),
        conflicts=Conflict.objects.count(),
        users=User.objects.filter(username__in=[u.username for u in DEMO_USERS]).count(),
        created_enterprises=created_enterprises,
        created_inspectors=created_inspectors,
    )


def load_reference() -> tuple[int, int]:
    """GB/T 2260 regions and GB/T 4754-2017 industries; returns (regions, industries) created."""
    from qijian.enterprises.reference import load_industries
    from qijian.org.reference import load_regions

    return load_regions(actor=None), load_industries(actor=None)


@transaction.atomic
def build_demo(*, enterprises: int = ENTERPRISE_COUNT, today: dt.date | None = None) -> DemoSummary:
    """Build (or complete) the demo county; running it again creates nothing new."""
    today = today or dt.date.today()
    load_reference()
    departments = _ensure_departments(read_toml(DEPARTMENTS_TOML))
    enterprise_specs = generate_enterprises(enterprises)
    inspector_specs = generate_inspectors(today)
    created_enterprises = _ensure_enterprises(enterprise_specs)
    created_inspectors = _ensure_inspectors(inspector_specs, departments)
    _ensure_conflicts(inspector_specs, enterprise_specs, today)
    for spec in DEMO_USERS:
        _ensure_user(spec, departments, enterprise_specs)
    _ensure_township_mailboxes()
    load_workflow_demo()
    return _summary(created_enterprises, created_inspectors)


# The inspection workflow's demo data, built through each app's services, in dependency order.
WORKFLOW_DEMOS = (
    "qijian.meetings.demo",
    "qijian.catalog.demo",
    "qijian.plans.demo",
    "qijian.inspections.demo",
    "qijian.oversight.demo",
)


def load_workflow_demo() -> None:
    from importlib import import_module

    for module in WORKFLOW_DEMOS:
        import_module(module).load_demo()


def _ensure_township_mailboxes() -> None:
    """Example mailboxes of the township governments (mechanism 8's notices; demo addresses only)."""
    from qijian.org.models import Region

    for region in Region.objects.filter(level__in=["township", "zone"], parent__code="130921", notice_email=""):
        Region.objects.filter(pk=region.pk).update(notice_email=f"gov{region.code[-3:]}@cangxian.example.cn")


def demo_accounts() -> Iterable[tuple[str, str, str]]:
    """(username, role, TOTP secret or '') for the README and the command's summary."""
    for spec in DEMO_USERS:
        yield spec.username, spec.role, totp_secret(spec.username) if spec.username in TOTP_USERS else ""
