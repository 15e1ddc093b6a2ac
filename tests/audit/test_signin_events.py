"""Sign-ins land in the audit chain: success, failure (user name only, never the password) and logout."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qijian.audit.models import AuditEvent
from qijian.audit.queries import verify_stored_chain
from qijian.core.testing import TEST_PASSWORD, County

pytestmark = pytest.mark.django_db


def test_login_and_logout_are_recorded(client: Client, county: County) -> None:
    user = county.user("dept_admin")
    client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    client.post(reverse("accounts:logout"))
    events = list(AuditEvent.objects.filter(actor=user).order_by("seq").values_list("action", flat=True))
    assert events[-2:] == ["accounts.login", "accounts.logout"]
    assert verify_stored_chain().ok


def test_failed_login_records_the_user_name_but_not_the_password(client: Client, county: County) -> None:
    attempt = "Wrong-Password-123!"
    client.post(reverse("accounts:login"), {"username": "nobody_here", "password": attempt})
    event = AuditEvent.objects.filter(action="accounts.login_failed").get()
    assert event.after is not None and event.after["username"] == "nobody_here"
    stored = AuditEvent.objects.filter(pk=event.pk).values_list("before", "after", "target_repr").get()
    assert attempt not in str(stored) and event.actor_id is None
