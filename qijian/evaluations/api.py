"""REST API of the evaluations app: each domain module registers its viewsets here."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Register the follow-up, questionnaire, complaint and summary viewsets on the API router."""
    from qijian.evaluations import api_followups

    api_followups.register(router)
    __import__("qijian.evaluations.api_complaints", fromlist=["register"]).register(router)
    __import__("qijian.evaluations.api_questionnaires", fromlist=["register"]).register(router)
    __import__("qijian.evaluations.api_summary", fromlist=["register"]).register(router)
