"""Two submissions of one follow-up at the same moment (PostgreSQL, real concurrent transactions): one wins,
the other is refused with the "already submitted" message, and exactly one response with its answers exists."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from qijian.core.testing import build_county
from qijian.evaluations.models import Answer, Response
from qijian.evaluations.services import answers as svc
from tests.evaluations import answer_factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_second_answer_is_refused_on_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE); the race is tested on PostgreSQL")
    county = build_county()
    follow_up = f.follow_up(county)
    given = f.answers(follow_up)
    barrier, check = threading.Barrier(2, timeout=10), svc._check_follow_up

    def check_then_wait(follow_up: Any) -> None:
        check(follow_up)  # both pass the check before either inserts
        barrier.wait()

    monkeypatch.setattr(svc, "_check_follow_up", check_then_wait)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            svc.submit_answers(actor=None, follow_up=follow_up, answers=given)
            outcomes.append("ok")
        except svc.AnswerError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == sorted(["ok", svc.ALREADY_ANSWERED])
    assert Response.objects.filter(follow_up=follow_up).count() == 1
    assert Answer.objects.count() == 10
