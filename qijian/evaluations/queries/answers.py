"""Reads of questionnaires and answers: what a reader may see of the answers to one follow-up."""

from __future__ import annotations

from typing import Any


def answer_panel(user: Any, follow_up: Any) -> dict[str, Any]:
    """Context of templates/evaluations/answers/_follow_up_panel.html for the follow-up detail page."""
    return {}
