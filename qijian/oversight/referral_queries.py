"""Reads of referrals (纪检监察移送), always narrowed to what the user may see.

Office and supervisor see every referral; discipline sees the APPROVED ones only (Referral.scope_q).
The quarterly summary counts referrals itself (evaluations/queries/summary.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from qijian.core.models import VIEW
from qijian.oversight.choices import ReferralStatus
from qijian.oversight.models import Referral

LIST_RELATED = ("alert", "complaint", "department", "enterprise", "proposed_by")
DETAIL_RELATED = (*LIST_RELATED, "office_approved_by", "supervisor_approved_by", "rejected_by")


def referrals_for(user: Any) -> QuerySet[Referral]:
    """Referrals the user may see, with what the detail page prints joined."""
    return Referral.objects.restrict(user, VIEW).select_related(*DETAIL_RELATED)


def referral_rows(user: Any) -> QuerySet[Referral]:
    """Referrals for a list page, newest first."""
    return Referral.objects.restrict(user, VIEW).select_related(*LIST_RELATED).order_by("-proposed_at", "-id")


def pending_count(user: Any) -> int:
    return Referral.objects.restrict(user, VIEW).filter(status=ReferralStatus.PROPOSED).count()


# --- the quarterly summary ---------------------------------------------------------------------------
