"""A department's aggregates: counts, shares and the average score per question, over a period, with
questions hidden below ``evaluation.min_group`` enterprises and no free text at all."""

from __future__ import annotations

import dataclasses

from qijian.core.calendar import Quarter, local_today
from qijian.core.testing import County
from qijian.evaluations.queries.answers import Aggregate, aggregate
from qijian.evaluations.services import questionnaires as qsvc
from tests.evaluations import answer_factories as f


def _quarter() -> Quarter:
    return Quarter.of(local_today())


def _own(county: County, **kw: int) -> Aggregate:
    q = _quarter()
    return aggregate([county.dept.pk], q.start, q.end, **kw)


def _three(county: County) -> None:
    f.answered(county, of=county.enterprise, satisfaction=["非常满意"], suggestions="甲公司的意见")
    f.answered(county, of=f.enterprise(county, "沧县丙公司"), satisfaction=["满意"])
    f.answered(
        county,
        of=f.enterprise(county, "沧县丁公司"),
        satisfaction=["不满意"],
        improper_requests=(["是"], "要求购买指定灭火器"),
    )


def test_counts_shares_and_average_score_per_question(county: County) -> None:
    _three(county)
    result = _own(county)
    assert result.responses == 3 and result.min_group == 3
    by_key = {q.key: q for q in result.questions}
    satisfaction = by_key["satisfaction"]
    assert not satisfaction.hidden and satisfaction.answered == 3
    counts = {o.option: (o.count, o.share) for o in satisfaction.options}
    assert counts["非常满意"] == (1, 0.3333) and counts["不满意"] == (1, 0.3333) and counts["非常不满意"] == (0, 0.0)
    assert satisfaction.average_score == round((5 + 4 + 2) / 3, 2)
    improper = {o.option: o.count for o in by_key["improper_requests"].options}
    assert improper == {"否": 2, "是": 1}
    assert by_key["id_shown"].average_score is None


def test_free_text_and_enterprises_never_appear_in_an_aggregate(county: County) -> None:
    _three(county)
    result = _own(county)
    assert "suggestions" not in {q.key for q in result.questions}
    dumped = str(dataclasses.asdict(result))
    for secret in ("甲公司的意见", "要求购买指定灭火器", county.enterprise.name, "沧县丙公司", "enterprise"):
        assert secret not in dumped


def test_a_question_answered_by_fewer_than_min_group_enterprises_is_hidden(county: County) -> None:
    f.answered(county, of=county.enterprise)
    f.answered(county, of=county.enterprise)  # a second inspection of the same enterprise: still one enterprise
    f.answered(county, of=f.enterprise(county, "沧县丙公司"))
    result = _own(county)
    assert result.responses is None
    assert all(q.hidden and not q.options and q.answered == 0 for q in result.questions)
    assert not any(q.hidden for q in _own(county, min_group=2).questions)


def test_an_optional_question_left_blank_by_some_is_hidden_on_its_own(county: County) -> None:
    draft = qsvc.create_version(actor=county.user("office"), title="第二版", copy_from=f.default_questionnaire())
    spec = qsvc.QuestionSpec("是否愿意接受再次回访?", "yes_no", required=False, code="again")
    qsvc.add_question(actor=county.user("office"), questionnaire=draft, spec=spec)
    qsvc.activate(actor=county.user("office"), questionnaire=draft)
    f.answered(county, of=county.enterprise, again=["是"])
    f.answered(county, of=f.enterprise(county, "沧县丙公司"), again=[])
    f.answered(county, of=f.enterprise(county, "沧县丁公司"))
    by_key = {q.key: q for q in _own(county).questions}
    assert by_key["again"].hidden and not by_key["satisfaction"].hidden


def test_only_the_chosen_departments_and_period_count(county: County) -> None:
    _three(county)
    for name in ("沧县戊公司", "沧县己公司", "沧县庚公司"):
        f.answered(county, of=f.enterprise(county, name), other_department=True, satisfaction=["非常不满意"])
    own = {q.key: q for q in _own(county).questions}["satisfaction"]
    assert {o.option: o.count for o in own.options}["非常不满意"] == 0
    q = _quarter()
    both = aggregate([county.dept.pk, county.other_dept.pk], q.start, q.end)
    assert both.responses == 6
    earlier = q.previous()
    assert aggregate([county.dept.pk], earlier.start, earlier.end).questions == ()


def test_questions_are_grouped_across_versions_by_code(county: County) -> None:
    f.answered(county, of=county.enterprise)
    draft = qsvc.create_version(actor=county.user("office"), title="第二版", copy_from=f.default_questionnaire())
    qsvc.activate(actor=county.user("office"), questionnaire=draft)
    f.answered(county, of=f.enterprise(county, "沧县丙公司"))
    f.answered(county, of=f.enterprise(county, "沧县丁公司"))
    satisfaction = [q for q in _own(county).questions if q.key == "satisfaction"]
    assert len(satisfaction) == 1 and satisfaction[0].answered == 3
