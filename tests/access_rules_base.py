"""The access matrix's vocabulary: how a route is guarded (``Rule``) and the role sets used to say so.

Each app's routes are classified in ``tests/access_rules/<app>.py`` (a ``TABLE`` and a
``populate(county)`` that creates the objects its ``obj``/``marker`` lambdas name), or for the
foundation apps in ``tests/test_access_matrix.py`` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qijian.accounts.choices import Role
from qijian.core.testing import County

Kwargs = Callable[[County], dict[str, Any]]
Marker = Callable[[County], str]

ALL = frozenset(Role)
NONE: frozenset[str] = frozenset()


def roles(*names: str) -> frozenset[str]:
    return frozenset(Role(n) for n in names)


# Written out literally (not imported from the models) so that a widened scope shows up here.
# Not discipline: it reads its approved referrals only (tests/access_rules/referrals.py).
COUNTY_WIDE = roles("office", "supervisor", "random_coordinator", "sysadmin")
STAFF = COUNTY_WIDE | roles("dept_admin", "inspector")  # no enterprise, secadmin, auditor
REGISTRY = STAFF | roles("enterprise")
IMPORTERS = roles("office", "sysadmin", "dept_admin")


@dataclass(frozen=True)
class Rule:
    """How one route is guarded.

    kind: "public" (anyone), "login" (any signed-in role; ``read`` = ALL), "roles" (``read`` roles
    only), "admin" (Django admin: staff only, and no county role is staff).
    scoped: roles whose users reach only their own department's / enterprise's object (others 403/404).
    obj: URL kwargs naming an object of the FIRST department/enterprise (object-scoped routes).
    marker: text of such an object that must not appear in a list for another department's user.
    writers: roles that may POST (everyone else is refused). post_only: the route takes POST only.
    """

    kind: str
    read: frozenset[str] = ALL
    scoped: frozenset[str] = NONE
    obj: Kwargs | None = None
    marker: Marker | None = None
    writers: frozenset[str] = NONE
    post_only: bool = False
    api: bool = False
    query: str = ""  # appended to the URL (e.g. an export's plain-text format, so markers are readable)
    path: str = ""  # a fixed URL, for patterns that reverse() cannot build (catch-alls)


def page(read: frozenset[str] = ALL, **kw: Any) -> Rule:
    return Rule("roles" if read != ALL else "login", read=read, **kw)


def api(read: frozenset[str] = ALL, **kw: Any) -> Rule:
    return Rule("roles" if read != ALL else "login", read=read, api=True, **kw)


PUBLIC = Rule("public")
PUBLIC_API = Rule("public", api=True)
ADMIN = Rule("admin")


def _pk(attr: str) -> Kwargs:
    return lambda c: {"pk": getattr(c, attr).pk}


def _user_pk(role: str) -> Kwargs:
    return lambda c: {"pk": c.user(role).pk}
