"""``{% load checkins_trace %}``: whether a user's role may open the check-in traces (links on other apps' pages)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def can_see_trace(user: Any) -> bool:
    from qijian.checkins.views import TRACE_READERS

    return getattr(user, "role", None) in TRACE_READERS
