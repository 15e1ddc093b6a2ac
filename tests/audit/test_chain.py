import datetime as dt
import decimal
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qijian.audit.chain import link_hash, utc_text
from qijian.audit.jsonsafe import json_safe
from qijian.audit.models import AuditEvent
from qijian.audit.services import record_event
from qijian.core.testing import County

pytestmark = pytest.mark.django_db


def _reloaded_hash_matches(event: AuditEvent) -> bool:
    stored = AuditEvent.objects.get(pk=event.pk)
    return link_hash(stored.prev_hash, stored.chained_fields()) == stored.hash


def test_events_link_to_their_predecessor(county: County) -> None:
    actor = county.user("sysadmin")
    first = record_event(actor=actor, action="test.one", target=county.dept)
    second = record_event(actor=actor, action="test.two", target=county.enterprise, after={"x": 1})
    assert second.prev_hash == first.hash
    assert _reloaded_hash_matches(second)


def test_dates_decimals_and_uuids_are_stored_as_json_text(county: County) -> None:
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    after = {"day": dt.date(2025, 3, 1), "amount": decimal.Decimal("12.50"), "id": ident, "at": dt.time(8, 30)}
    event = record_event(actor=None, action="test.types", after=after)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.after == {"day": "2025-03-01", "amount": "12.50", "id": str(ident), "at": "08:30:00"}
    assert _reloaded_hash_matches(event)


def test_awkward_values_round_trip_through_the_database_unchanged(county: County) -> None:
    after = {
        "unicode": "沧县 ✓ \U0001f600",
        "nested": {"b": [1, 2.5, None, {"c": True}], "a": {"z": -0.0}},
        "floats": [0.1, 1e-07, 1.5e300, 123456789012345.6, 1e16],
        "big": 2**80,
        "nul": "a\x00b",
        "surrogate": "x\ud800y",
        "none": None,
    }
    event = record_event(actor=None, action="test.awkward", before={"k": 1}, after=after)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.after == event.after and stored.before == event.before
    assert utc_text(stored.occurred_at) == utc_text(event.occurred_at)
    assert _reloaded_hash_matches(event)


def test_nan_cannot_be_recorded(county: County) -> None:
    with pytest.raises(ValueError, match="NaN"):
        record_event(actor=None, action="test.nan", after={"x": float("nan")})


json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**100), max_value=2**100)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_trees = st.recursive(
    json_leaves, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(), kids, max_size=4), max_leaves=12
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(after=st.dictionaries(st.text(), json_trees, max_size=5))
def test_any_json_value_hashes_identically_after_a_database_round_trip(db: None, after: dict[str, Any]) -> None:
    event = record_event(actor=None, action="test.roundtrip", after=after)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.after == json_safe(after)
    assert _reloaded_hash_matches(event)
