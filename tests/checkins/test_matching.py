"""The enterprise and its candidate filings read in one query (``enterprise_and_filings``) give what the
two reads give apart (``resolve_enterprise`` and ``department_filings``), in every matching case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qijian.checkins import codes, services
from qijian.checkins.services.matching import department_filings, enterprise_and_filings
from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.inspections.models import Filing
from tests.checkins.visits import Visit, build_visit, key, make_filing, now

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def visit(county: County) -> Visit:
    return build_visit(county)


def _other_department(visit: Visit) -> None:
    visit.filing.department = visit.county.other_dept
    visit.filing.save(update_fields=["department"])


def _partner(visit: Visit) -> None:
    _other_department(visit)
    visit.filing.partners.set([visit.county.dept])


def _cancelled(visit: Visit) -> None:
    visit.filing.status = "cancelled"
    visit.filing.save(update_fields=["status"])


def _ended(visit: Visit) -> None:
    visit.filing.window_start, visit.filing.window_end = now() - 9 * HOUR, now() - 2 * HOUR
    visit.filing.save(update_fields=["window_start", "window_end"])


def _two_one_naming(visit: Visit) -> None:
    visit.filing.inspectors.set([visit.colleague])
    make_filing(visit.setup, start=now() - HOUR / 2, end=now() + 2 * HOUR, number="BB2")


def _three(visit: Visit) -> None:
    _two_one_naming(visit)
    make_filing(visit.setup, start=now() - HOUR / 4, end=now() + 3 * HOUR, number="BB3")


CASES: dict[str, Callable[[Visit], None]] = {
    "one filing": lambda visit: None,
    "not naming the scanner": lambda visit: visit.filing.inspectors.set([visit.colleague]),
    "another department's": _other_department,
    "a partner department's": _partner,
    "cancelled": _cancelled,
    "window ended": _ended,
    "two, one naming the scanner": _two_one_naming,
    "three": _three,
    "no filing": lambda visit: Filing.objects.all().delete(),
}


def _picture(enterprise: Enterprise, filings: list[Filing]) -> tuple[Any, ...]:
    fields = [f.attname for f in Filing._meta.concrete_fields]
    rows = [({n: getattr(f, n) for n in fields}, bool(f.names_inspector)) for f in filings]  # type: ignore[attr-defined]
    return enterprise.pk, enterprise.name, enterprise.uscc, rows


@pytest.mark.parametrize("case", CASES)
def test_one_query_gives_what_the_two_reads_give(visit: Visit, case: str) -> None:
    CASES[case](visit)
    inspector, enterprise = visit.county.inspector, visit.county.enterprise
    lo, hi = now() - HOUR / 2, now() + HOUR
    joined = enterprise_and_filings(inspector, enterprise.pk, lo, hi)
    assert joined is not None
    apart = (services.resolve_enterprise(enterprise.pk, now()), department_filings(inspector, enterprise.pk, lo, hi))
    assert _picture(*joined) == _picture(*apart)
    assert len(joined[1]) == {"no filing": 0, "two, one naming the scanner": 2, "three": 3}.get(
        case, 0 if case in ("another department's", "cancelled", "window ended") else 1
    )


def test_no_such_enterprise_is_none(visit: Visit) -> None:
    assert enterprise_and_filings(visit.county.inspector, 10**12, now() - HOUR, now()) is None


def test_a_scan_of_a_missing_enterprise_is_refused_by_id_and_by_code(visit: Visit) -> None:
    args: dict[str, Any] = {"actor": visit.inspector_user, "companions": [visit.colleague.certificate_no]}
    with pytest.raises(services.CheckInError, match=r"^企业不存在。$"):
        services.record_checkin(idempotency_key=key(), enterprise=10**12, **args)
    ghost = Enterprise(pk=10**12, name="无此企业")
    with pytest.raises(services.CheckInError, match=r"^企业码对应的企业不存在。$"):
        services.record_checkin(idempotency_key=key(), enterprise=codes.issue_enterprise_code(ghost), **args)


def test_a_batch_reads_an_enterprises_filings_once(visit: Visit) -> None:
    token = codes.issue_enterprise_code(visit.county.enterprise)
    items = [{"idempotency_key": key(), "enterprise": token, "companions": [visit.colleague.certificate_no]}]
    items.append({**items[0], "idempotency_key": key()})
    with CaptureQueriesContext(connection) as queries:
        outcomes = services.record_checkins(actor=visit.inspector_user, items=items)
    reads = [q["sql"] for q in queries if q["sql"].lstrip().startswith("SELECT") and Filing._meta.db_table in q["sql"]]
    assert len(reads) == 1
    assert [o.created for o in outcomes] == [True, True]
    assert {o.checkin.filing_id for o in outcomes if o.checkin} == {visit.filing.pk}
