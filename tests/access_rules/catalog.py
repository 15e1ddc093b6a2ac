"""Access-matrix rows of this app's routes (see tests/access_rules/__init__.py).

Every staff role reads every department's catalog (partners plan joint visits against it); only the
department's own admin drafts it, and only the office approves or returns it.
"""

from __future__ import annotations

from qijian.catalog.services import add_item, create_version
from qijian.core.testing import County
from tests.access_rules_base import STAFF, Rule, _pk, api, page, roles

ADMIN, OFFICE = roles("dept_admin"), roles("office")
VERSION, ITEM = _pk("catalog_version"), _pk("catalog_item")

TABLE: dict[str, Rule] = {
    "catalog:home": page(STAFF),
    "catalog:version_create": page(ADMIN, writers=ADMIN, post_only=True),
    "catalog:version_detail": page(STAFF, obj=VERSION),
    "catalog:version_submit": page(ADMIN, scoped=ADMIN, obj=VERSION, writers=ADMIN, post_only=True),
    "catalog:version_approve": page(OFFICE, obj=VERSION, writers=OFFICE, post_only=True),
    "catalog:version_return": page(OFFICE, obj=VERSION, writers=OFFICE, post_only=True),
    "catalog:item_create": page(ADMIN, scoped=ADMIN, obj=VERSION, writers=ADMIN),
    "catalog:item_edit": page(ADMIN, scoped=ADMIN, obj=ITEM, writers=ADMIN),
    "catalog:item_remove": page(ADMIN, scoped=ADMIN, obj=ITEM, writers=ADMIN, post_only=True),
    "api:catalogversion-list": api(STAFF, writers=ADMIN),
    "api:catalogversion-detail": api(STAFF, obj=VERSION),
    "api:catalogitem-list": api(STAFF, writers=ADMIN),
    "api:catalogitem-detail": api(STAFF, obj=ITEM),
}


def populate(county: County) -> None:
    """A draft version of the first department with one item."""
    admin = county.user("dept_admin")
    version = create_version(actor=admin, department=county.dept)
    county.catalog_version = version  # type: ignore[attr-defined]
    county.catalog_item = add_item(  # type: ignore[attr-defined]
        actor=admin, version=version, code="YJ-001", name="矩阵事项", law="《安全生产法》", mode="random"
    )
