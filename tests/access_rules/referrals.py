"""Access-matrix rows of the referrals routes (纪检监察移送): office and supervisor read and act;
discipline reads approved referrals and their packets — and, with COUNTY_WIDE no longer naming it,
nothing else in the matrix."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from qijian.core.testing import County
from qijian.oversight.models import Alert, Referral
from qijian.oversight.rules import Finding
from qijian.oversight.services import raise_alert
from tests.access_rules_base import Rule, _pk, api, page, roles

PARTIES = roles("office", "supervisor")
READERS = PARTIES | roles("discipline")
REFERRAL = _pk("referral")

TABLE: dict[str, Rule] = {
    "oversight:referral_list": page(READERS, marker=lambda c: c.referral.number),  # type: ignore[attr-defined]
    "oversight:referral_detail": page(READERS, obj=REFERRAL),
    "oversight:referral_propose": page(PARTIES, writers=PARTIES),
    "oversight:referral_approve": page(PARTIES, obj=REFERRAL, writers=PARTIES, post_only=True),
    "oversight:referral_reject": page(PARTIES, obj=REFERRAL, writers=PARTIES, post_only=True),
    "oversight:referral_packet": page(READERS, obj=REFERRAL),
    "api:referral-list": api(READERS, writers=PARTIES),
    "api:referral-detail": api(READERS, obj=REFERRAL),
    "api:referral-approve": api(PARTIES, obj=REFERRAL, writers=PARTIES, post_only=True),
    "api:referral-reject": api(PARTIES, obj=REFERRAL, writers=PARTIES, post_only=True),
    "api:referral-packet": api(READERS, obj=REFERRAL),
}


def approved_referral(county: County, key: str = "matrix") -> Referral:
    """An approved referral with a (stand-in) packet, written directly: the services and the real packet
    are tested in tests/oversight/test_referral_*.py."""
    finding = Finding(rule="R01", severity="critical", message="未报备入企")
    alert = raise_alert(finding=finding, key=f"R01:{key}", department=county.dept, enterprise=county.enterprise)
    assert isinstance(alert, Alert)
    now = dt.datetime.now(dt.UTC)
    referral = Referral(
        number=f"YS-2026-{Referral.objects.count() + 9001}",
        alert=alert,
        department=county.dept,
        enterprise=county.enterprise,
        reason="未报备入企检查",
        status="approved",
        proposed_by=county.user("supervisor"),
        proposed_at=now,
        office_approved_by=county.user("office"),
        office_approved_at=now,
        supervisor_approved_by=county.user("supervisor"),
        supervisor_approved_at=now,
        packet_sha256="0" * 64,
    )
    referral.packet.save(f"{key}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    referral.save(force_insert=True)
    return referral


def populate(county: County) -> None:
    """Create the objects of the first department/enterprise that this module's rows read."""
    county.referral = approved_referral(county)  # type: ignore[attr-defined]
