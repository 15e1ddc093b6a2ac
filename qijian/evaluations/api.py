"""REST API of the evaluations app: each domain module registers its viewsets here."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Register the follow-up, complaint, questionnaire and summary viewsets on the API router."""
    from qijian.evaluations import api_complaints, api_followups, api_questionnaires, api_summary

    for module in (api_followups, api_complaints, api_questionnaires, api_summary):
        module.register(router)
