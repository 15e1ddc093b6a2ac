"""The navigation menu: one entry per page family, shown to the roles that may use it.

Apps add their entries here (label, URL name, roles); the template renders what the user's role allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from qijian.accounts.choices import Role


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[str]


ALL_ROLES = frozenset(r.value for r in Role)

ENTRIES: list[NavEntry] = [
    NavEntry("首页", "core:home", ALL_ROLES),
]


def menu_for(role: str) -> list[tuple[str, str]]:
    return [(e.label, reverse(e.url_name)) for e in ENTRIES if role in e.roles]
