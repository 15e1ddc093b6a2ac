"""Access-matrix rows of the complaints routes (docs/complaints.md).

The office and 司法局 (supervisor) read and handle every complaint; an enterprise user reads its own
enterprise's online complaints and complains about its own inspections; departments, inspectors and
the other roles reach no complaint (departments get counts in the quarterly summary).
"""

from __future__ import annotations

from qijian.core.testing import County
from qijian.evaluations.models import Complaint
from tests.access_rules_base import NONE, Rule, _pk, api, page, roles

STAFF = roles("office", "supervisor")
ENTERPRISE = roles("enterprise")
_TOKEN = {"token": "0" * 32}  # a result only its uploader's session may see: everyone else gets 404

TABLE: dict[str, Rule] = {
    "evaluations:complaint_list": page(STAFF),
    "evaluations:complaint_register": page(STAFF, writers=STAFF),
    "evaluations:complaint_detail": page(STAFF, obj=_pk("complaint")),
    "evaluations:complaint_accept": page(STAFF, obj=_pk("complaint"), writers=STAFF, post_only=True),
    "evaluations:complaint_reply": page(STAFF, obj=_pk("complaint"), writers=STAFF, post_only=True),
    "evaluations:complaint_reject": page(STAFF, obj=_pk("complaint"), writers=STAFF, post_only=True),
    "evaluations:my_complaints": page(ENTERPRISE, scoped=ENTERPRISE, marker=lambda c: c.enterprise_complaint.number),  # type: ignore[attr-defined]
    "evaluations:my_complaint": page(ENTERPRISE, scoped=ENTERPRISE, obj=_pk("enterprise_complaint")),
    "evaluations:my_complaint_new": page(ENTERPRISE, writers=ENTERPRISE),
    "evaluations:complaint_import": page(STAFF, writers=STAFF),
    "evaluations:complaint_import_result": page(NONE, obj=lambda c: _TOKEN),
    "evaluations:complaint_import_report": page(NONE, obj=lambda c: _TOKEN),
    "evaluations:complaint_template_hotline": page(STAFF),
    "evaluations:complaint_template_direct": page(STAFF),
    # REST API: the enterprise reads its own online complaints and may create; only staff handle.
    "api:complaint-list": api(
        STAFF | ENTERPRISE,
        scoped=ENTERPRISE,
        marker=lambda c: c.enterprise_complaint.number,  # type: ignore[attr-defined]
        writers=STAFF | ENTERPRISE,
    ),
    "api:complaint-detail": api(STAFF | ENTERPRISE, scoped=ENTERPRISE, obj=_pk("enterprise_complaint")),
    "api:complaint-accept": api(STAFF | ENTERPRISE, obj=_pk("complaint"), writers=STAFF, post_only=True),
    "api:complaint-reply": api(STAFF | ENTERPRISE, obj=_pk("complaint"), writers=STAFF, post_only=True),
    "api:complaint-reject": api(STAFF | ENTERPRISE, obj=_pk("complaint"), writers=STAFF, post_only=True),
}


def populate(county: County) -> None:
    """A staff-registered complaint about the first department and an online complaint of the first
    enterprise (written directly: the services are tested in tests/evaluations)."""
    county.complaint = _complaint(county, "TS-2026-900001", "staff", "matrix-staff-complaint")  # type: ignore[attr-defined]
    county.enterprise_complaint = _complaint(county, "TS-2026-900002", "enterprise", "matrix-own-complaint")  # type: ignore[attr-defined]


def _complaint(county: County, number: str, source: str, summary: str) -> Complaint:
    import datetime as dt

    return Complaint.objects.create(
        number=number,
        source=source,
        received_at=dt.datetime.now(dt.UTC),
        enterprise=county.enterprise,
        department=county.dept,
        summary=summary,
        accept_due=dt.date(2026, 1, 5),
        reply_due=dt.date(2026, 1, 20),
    )
