"""Access-matrix rows of this app's routes (see tests/access_rules/__init__.py)."""

from __future__ import annotations

from qijian.core.models import Notification
from qijian.core.testing import County
from qijian.oversight.rules import Finding
from qijian.oversight.services import raise_alert
from tests.access_rules_base import ALL, Rule, _pk, api, page, roles

READERS = roles("office", "supervisor", "random_coordinator", "dept_admin")
OFFICE = roles("office")
SCOPED = roles("dept_admin")


def _marker(c: County) -> str:
    return c.alert.message  # type: ignore[attr-defined,no-any-return]


TABLE: dict[str, Rule] = {
    "oversight:alert_list": page(READERS, scoped=SCOPED, marker=_marker),
    "oversight:alert_detail": page(READERS, scoped=SCOPED, obj=_pk("alert")),
    "oversight:alert_acknowledge": page(READERS, obj=_pk("alert"), writers=OFFICE, post_only=True),
    "oversight:alert_resolve": page(READERS, obj=_pk("alert"), writers=OFFICE, post_only=True),
    "oversight:inbox": page(),
    "oversight:inbox_read": page(ALL, obj=_pk("notification"), writers=ALL, post_only=True),
    "oversight:inbox_read_all": page(writers=ALL, post_only=True),
    "api:alert-list": api(READERS, scoped=SCOPED, marker=_marker),
    "api:alert-detail": api(READERS, scoped=SCOPED, obj=_pk("alert")),
    "api:alert-acknowledge": api(READERS, obj=_pk("alert"), writers=OFFICE, post_only=True),
    "api:alert-resolve": api(READERS, obj=_pk("alert"), writers=OFFICE, post_only=True),
}


def populate(county: County) -> None:
    """Create the objects this module's ``obj``/``marker`` lambdas name."""
    finding = Finding(rule="R06", severity="warning", message="matrix-预警-重复检查")
    county.alert = raise_alert(  # type: ignore[attr-defined]
        finding=finding, key="matrix:alert", department=county.dept, enterprise=county.enterprise
    )
    county.notification = Notification.objects.create(  # type: ignore[attr-defined]
        recipient=county.user("office"), title="matrix-消息"
    )
