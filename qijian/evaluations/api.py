"""REST API of the evaluations app: each domain module registers its viewsets here."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Register the follow-up, questionnaire, complaint and summary viewsets on the API router."""
