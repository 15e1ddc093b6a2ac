"""Follow-up events in the per-inspection and per-enterprise traces, for readers of follow-ups only."""

from __future__ import annotations

import pytest

from qijian.checkins import queries
from qijian.core.testing import County
from qijian.evaluations.models import FollowUp
from qijian.evaluations.services import followups as services

KIND = "回访"


def _follow_up_actions(rows: list[queries.TraceRow]) -> list[str]:
    return [r.action for r in rows if r.target_type == "evaluations.followup"]


@pytest.fixture
def done(county: County, follow_up: FollowUp) -> FollowUp:
    return services.record_follow_up(
        actor=county.user("supervisor"), follow_up=follow_up, method="phone", findings="无意见"
    )


@pytest.mark.parametrize("role", ["office", "supervisor"])
def test_follow_up_events_show_in_the_inspection_trace(county: County, done: FollowUp, role: str) -> None:
    rows = queries.filing_timeline(county.user(role), done.filing)  # type: ignore[arg-type]
    assert _follow_up_actions(rows) == [
        "evaluations.create_follow_up",
        "evaluations.assign_follow_up",
        "evaluations.record_follow_up",
    ]
    row = next(r for r in rows if r.action == "evaluations.record_follow_up")
    assert row.kind == KIND and row.subject.startswith("回访(期限") and row.seq is not None
    checkout = next(r for r in rows if r.action == "checkins.check_out")
    assert checkout.seq < row.seq  # type: ignore[operator]


def test_follow_up_events_show_in_the_enterprise_trace(county: County, done: FollowUp) -> None:
    rows = queries.enterprise_timeline(county.user("office"), county.enterprise)
    assert "evaluations.record_follow_up" in _follow_up_actions(rows)


@pytest.mark.parametrize("role", ["dept_admin", "inspector", "enterprise"])
def test_who_may_not_read_follow_ups_gets_no_follow_up_rows(county: County, done: FollowUp, role: str) -> None:
    assert _follow_up_actions(queries.enterprise_timeline(county.user(role), county.enterprise)) == []
    assert _follow_up_actions(queries.filing_timeline(county.user(role), done.filing)) == []  # type: ignore[arg-type]
