"""REST API of referrals (纪检监察移送)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Register the referral viewset on the API router."""
