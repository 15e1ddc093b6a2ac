"""Reads of the minimal meetings app, always narrowed to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from qijian.core.models import VIEW
from qijian.meetings.models import Decision, Meeting


def meetings_for(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.restrict(user, VIEW).select_related("recorded_by")


def meeting_rows(user: Any) -> QuerySet[Meeting]:
    """Meetings for a list page, each with its number of decisions (one grouped query)."""
    return meetings_for(user).annotate(decision_count=Count("decisions")).order_by("-held_on", "-id")


def decisions_for(user: Any, subject: str | None = None) -> QuerySet[Decision]:
    """Decisions the user may see, newest first; ``subject`` narrows to one kind (e.g. "catalog")."""
    qs = Decision.objects.restrict(user, VIEW).select_related("meeting", "recorded_by")
    return qs.filter(subject=subject) if subject else qs


def decisions_of(user: Any, meeting: Meeting) -> QuerySet[Decision]:
    return decisions_for(user).filter(meeting=meeting).order_by("number")
