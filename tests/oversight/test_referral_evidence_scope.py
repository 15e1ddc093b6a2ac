"""The evidence packet carries the answers about the referred department's inspections only."""

from __future__ import annotations

from qijian.core.testing import County
from qijian.oversight.evidence import follow_up_answers
from tests.evaluations import answer_factories as f


def test_the_packet_leaves_out_answers_about_another_departments_inspections(county: County) -> None:
    own = f.answered(county, suggestions="本部门检查的意见").follow_up
    other = f.answered(county, other_department=True, suggestions="另一部门检查的意见").follow_up
    checkins = [own.checkin_id, other.checkin_id]
    scoped = follow_up_answers(checkins, county.dept.pk)
    assert [a.checkin_id for a in scoped] == [own.checkin_id]
    assert {a.checkin_id for a in follow_up_answers(checkins)} == set(checkins)
