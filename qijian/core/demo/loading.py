"""The demo county: loading it idempotently through the audited services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction

from qijian.core.demo.base import (
    COUNTY_CODE,
    DEMO_PASSWORD,
    DEMO_USERS,
    DEPARTMENTS_TOML,
    ENTERPRISE_COUNT,
    PILOT_INDICES,
    TOTP_USERS,
    EnterpriseSpec,
    InspectorSpec,
    UserSpec,
    read_toml,
    totp_key_hex,
    totp_secret,
)
from qijian.core.demo.generators import generate_enterprises, generate_inspectors

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
    "qijian.checkins.demo",
    "qijian.oversight.demo",
    "qijian.grading.demo",
    "qijian.sampling.demo",
    "qijian.joint.demo",
    "qijian.evaluations.demo",
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
