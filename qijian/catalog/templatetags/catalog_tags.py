"""Template helpers of the catalog pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from qijian.enterprises.choices import EnterpriseType

register = template.Library()
_LABELS = dict(EnterpriseType.choices)


@register.filter
def type_labels(values: Iterable[str]) -> str:
    """Chinese names of enterprise type codes, joined: ["company", "sole"] -> "公司、个人独资企业"."""
    return "、".join(str(_LABELS.get(v, v)) for v in values or [])
