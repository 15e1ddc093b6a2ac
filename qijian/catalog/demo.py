"""Demo item catalogs: an approved catalog (in force from 2025-01-01) for every county enforcement
department, and a submitted, not yet approved second version for 县市场监管局.

Everything goes through the services. The services refuse an effective date in the past, so the
approved versions are approved as of today and then moved back into the demo's history (effective
2025-01-01, approved at the 2024 Q4 meeting) with one queryset update. Idempotent: a department that
already has a version is left alone. Departments without a demo admin account get one (``dept_<prefix>``).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from django.db import transaction

from qijian.catalog import services
from qijian.catalog.models import CatalogItem, CatalogVersion
from qijian.core.calendar import local_today, local_zone
from qijian.meetings.demo import CATALOG_MEETING, decision_of

CATALOG_TOML = Path(__file__).with_name("reference") / "demo_catalog.toml"
EFFECTIVE_FROM = dt.date(2025, 1, 1)
SUBMITTED_AT = dt.datetime(2024, 12, 20, 9, 30, tzinfo=local_zone())
APPROVED_AT = dt.datetime(2024, 12, 27, 16, 0, tzinfo=local_zone())
REVISION_SUBMITTED_AT = dt.datetime(2025, 12, 22, 10, 15, tzinfo=local_zone())


def read_catalog(path: Path = CATALOG_TOML) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def item_specs(department: dict[str, Any]) -> list[dict[str, Any]]:
    """The department's items as service keyword arguments, coded ``<prefix>-001`` … in file order."""
    return [_item_kwargs(f"{department['prefix']}-{n:03d}", spec) for n, spec in enumerate(department["item"], 1)]


def _item_kwargs(code: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": code,
        "name": spec["name"],
        "law": spec["law"],
        "article": spec.get("article", ""),
        "standard": spec.get("standard", ""),
        "mode": spec["mode"],
        "method": spec.get("method", "onsite"),
        "joinable": spec.get("joinable", True),
        "industry_codes": spec.get("industries", []),
        "enterprise_types": spec.get("types", []),
    }


def _admin_of(department: Any, prefix: str) -> Any:
    """The department's admin: an existing active one, else a demo account ``dept_<prefix>``."""
    from qijian.accounts.models import User
    from qijian.accounts.services import create_user
    from qijian.core.demo import DEMO_PASSWORD

    existing = User.objects.filter(role="dept_admin", department=department, is_active=True).order_by("id").first()
    if existing is not None:
        return existing
    username = f"dept_{prefix.lower()}"
    return create_user(
        actor=None,
        username=username,
        password=DEMO_PASSWORD,
        role="dept_admin",
        full_name=f"{department.short_name or department.name}管理员",
        department=department,
    )


def _add_items(admin: Any, version: CatalogVersion, specs: list[dict[str, Any]]) -> None:
    from qijian.enterprises.models import Industry

    industries = Industry.objects.in_bulk(field_name="code")
    for spec in specs:
        codes = spec.pop("industry_codes")
        services.add_item(actor=admin, version=version, industries=[industries[c] for c in codes], **spec)


def _approved_catalog(department: Any, spec: dict[str, Any], office: Any, decision: Any) -> CatalogVersion:
    admin = _admin_of(department, spec["prefix"])
    version = services.create_version(actor=admin, department=department)
    _add_items(admin, version, item_specs(spec))
    services.submit_catalog(actor=admin, version=version)
    return services.approve_catalog(actor=office, version=version, decision=decision, effective_from=local_today())


def _revise(department: Any, revision: dict[str, Any]) -> None:
    admin = _admin_of(department, revision["prefix"])
    version = services.create_version(actor=admin, department=department)
    added = _item_kwargs(revision["add"].pop("code"), revision["add"])
    _add_items(admin, version, [added])
    change = dict(revision["change"])
    item = CatalogItem.objects.get(version=version, code=change.pop("code"))
    services.update_item(actor=admin, item=item, **change)
    services.submit_catalog(actor=admin, version=version)
    CatalogVersion.objects.filter(pk=version.pk).update(submitted_at=REVISION_SUBMITTED_AT)


@transaction.atomic
def load_demo() -> None:
    """Build the demo catalogs (needs the core demo and ``qijian.meetings.demo.load_demo``)."""
    from qijian.accounts.models import User
    from qijian.org.models import Department

    data = read_catalog()
    office = User.objects.get(username="office")
    decision = decision_of(CATALOG_MEETING, "catalog")
    departments = Department.objects.in_bulk([d["code"] for d in data["department"]], field_name="code")
    approved = [
        _approved_catalog(departments[d["code"]], d, office, decision).pk
        for d in data["department"]
        if d["code"] in departments and not CatalogVersion.objects.filter(department=departments[d["code"]]).exists()
    ]
    CatalogVersion.objects.filter(pk__in=approved).update(
        effective_from=EFFECTIVE_FROM, submitted_at=SUBMITTED_AT, approved_at=APPROVED_AT
    )
    _ensure_revision(data["revision"], departments)


def _ensure_revision(revision: dict[str, Any], departments: dict[str, Any]) -> None:
    """Open, edit and submit the second version, once: only while the approved first is the only one."""
    department = departments.get(revision["department"])
    if department is None or CatalogVersion.objects.filter(department=department).count() != 1:
        return
    _revise(department, revision)
