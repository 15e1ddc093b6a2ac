"""The demo county: its seed, reference files and the specs of what it contains."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 2025
DEMO_PASSWORD = "Qijian-Demo-2025"  # noqa: S105 (demo accounts only; printed in the README)
ENTERPRISE_COUNT = 5000
PILOT_INDICES = (41, 1207, 3803)  # early pilot codes (before GB 32100) that fail the check
COUNTY_CODE = "130921"

_ROOT = Path(__file__).resolve().parent.parent.parent  # qijian/
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
