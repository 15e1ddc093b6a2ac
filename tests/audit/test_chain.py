import pytest

from qijian.audit.chain import link_hash
from qijian.audit.models import AuditEvent
from qijian.audit.services import record_event
from qijian.core.testing import County


@pytest.mark.django_db
def test_events_link_to_their_predecessor(county: County) -> None:
    actor = county.user("sysadmin")
    first = record_event(actor=actor, action="test.one", target=county.dept)
    second = record_event(actor=actor, action="test.two", target=county.enterprise, after={"x": 1})
    assert second.prev_hash == first.hash
    stored = AuditEvent.objects.get(pk=second.pk)
    assert link_hash(stored.prev_hash, stored.chained_fields()) == stored.hash
