"""``{% load checkins_codes %}``: whether a user's role may download a filing's code and print its notice
(the buttons on the filing page; the routes check the filing itself)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def can_print_filing_code(user: Any) -> bool:
    from qijian.checkins.code_views import FILING_CODE_ROLES

    return getattr(user, "role", None) in FILING_CODE_ROLES
