"""Access-matrix rows of this app's routes (see tests/access_rules/__init__.py)."""

from __future__ import annotations

import datetime as dt

from qijian.checkins.models import CheckIn
from qijian.core.testing import County
from tests.access_rules_base import Rule, _pk, page, roles

INSPECTORS = roles("inspector")

TABLE: dict[str, Rule] = {
    # The phone pages (docs/phone.md): inspectors only; a result page shows the inspector's own check-in.
    "checkins:phone_scan": page(INSPECTORS),
    "checkins:phone_result": page(INSPECTORS, scoped=INSPECTORS, obj=_pk("phone_checkin")),
}


def populate(county: County) -> None:
    """Create the objects this module's ``obj``/``marker`` lambdas name."""
    county.phone_checkin = _phone_checkin(county)  # type: ignore[attr-defined]
    county.checkin_attachment = _attachment(county.phone_checkin)  # type: ignore[attr-defined]


def _phone_checkin(county: County) -> CheckIn:
    """An unfiled check-in of the first inspector (written directly: the services are tested in tests/checkins)."""
    return CheckIn.objects.create(
        idempotency_key="matrix-phone-checkin",
        enterprise=county.enterprise,
        inspector=county.inspector,
        recorded_by=county.user("inspector"),
        scanned_at=dt.datetime.now(dt.UTC),
        unfiled=True,
    )


def _code_routes() -> dict[str, Rule]:
    """The public page a QR code opens (anyone: the signed code is the permission) and the staff's
    QR and PDF downloads: a filing's code for the office, its department admin and its inspectors; an
    enterprise's code for registry readers and the enterprise itself. (Uses the inspections module's filing.)"""
    from qijian.checkins.codes import issue_filing_code
    from tests.access_rules_base import REGISTRY, _pk, page, roles

    filing_code = page(
        roles("office", "dept_admin", "inspector"), scoped=roles("dept_admin", "inspector"), obj=_pk("filing")
    )
    enterprise_code = page(REGISTRY, scoped=roles("enterprise"), obj=_pk("enterprise"))
    return {
        "public_code:show": Rule("public", obj=lambda c: {"token": issue_filing_code(c.filing)}),  # type: ignore[attr-defined]
        "checkins:codes:filing_png": filing_code,
        "checkins:codes:filing_svg": filing_code,
        "checkins:codes:enterprise_png": enterprise_code,
        "checkins:codes:enterprise_svg": enterprise_code,
        # The printed PDFs (检查通知书, 企业码海报): the same access as the images.
        "checkins:codes:filing_notice": filing_code,
        "checkins:codes:enterprise_poster": enterprise_code,
    }


TABLE |= _code_routes()


def _checkin_routes() -> dict[str, Rule]:
    """Check-in records (docs/checkins.md): overseers see all; a department admin its inspectors';
    an inspector its own. Only inspectors write (check in, check out, attach). The trace of an
    enterprise: every staff reader (narrowed to what each may see) and the enterprise itself; the trace
    of a filing: whoever may see the filing."""
    from tests.access_rules_base import api

    staff = roles("office", "supervisor", "random_coordinator", "dept_admin", "inspector")
    scoped = roles("dept_admin", "inspector")
    detail = _pk("phone_checkin")
    return {
        "checkins:list": page(staff, scoped=scoped, marker=lambda c: c.enterprise.name),
        "checkins:detail": page(staff, scoped=scoped, obj=detail),
        "checkins:attachment": page(
            staff,
            scoped=scoped,
            obj=lambda c: {"pk": c.phone_checkin.pk, "attachment_pk": c.checkin_attachment.pk},  # type: ignore[attr-defined]
        ),
        "checkins:enterprise_trace": page(
            staff | roles("enterprise"), scoped=roles("enterprise"), obj=_pk("enterprise")
        ),
        "checkins:own_trace": page(roles("enterprise")),
        # The trace of one inspection: whoever may see the filing (Filing.restrict), the enterprise when
        # it is among the filing's enterprises (the inspections module's filing names county.enterprise).
        "checkins:filing_trace": page(
            staff | roles("enterprise"), scoped=roles("dept_admin", "inspector", "enterprise"), obj=_pk("filing")
        ),
        "api:checkin-list": api(staff, scoped=scoped, marker=lambda c: "matrix-phone-checkin", writers=INSPECTORS),
        "api:checkin-detail": api(staff, scoped=scoped, obj=detail),
        "api:checkin-batch": api(staff, post_only=True, writers=INSPECTORS),
        "api:checkin-checkout": api(staff, scoped=INSPECTORS, obj=detail, post_only=True, writers=INSPECTORS),
        "api:checkin-attachments": api(staff, scoped=INSPECTORS, obj=detail, post_only=True, writers=INSPECTORS),
    }


TABLE |= _checkin_routes()


def _attachment(checkin: CheckIn) -> object:
    """A PNG attachment of the check-in (written directly: add_attachment is tested in tests/checkins)."""
    from django.core.files.base import ContentFile

    from qijian.checkins.models import Attachment

    attachment = Attachment(
        checkin=checkin,
        name="matrix.png",
        content_type="image/png",
        size=8,
        sha256="0" * 64,
        uploaded_by=checkin.recorded_by,
    )
    attachment.file.save("matrix.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    attachment.save()
    return attachment
