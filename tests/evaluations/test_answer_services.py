"""Answering: one response per follow-up, each answer validated with a Chinese message, nothing written on
refusal, a recorded phone answer says who recorded it, and the audit carries no answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.audit.models import AuditEvent
from qijian.checkins import codes
from qijian.core.testing import County
from qijian.evaluations.choices import ResponseChannel
from qijian.evaluations.models import Answer, Response
from qijian.evaluations.queries import answers as queries
from qijian.evaluations.services import answers as svc
from qijian.evaluations.services import questionnaires as qsvc
from qijian.evaluations.services.answers import ALREADY_ANSWERED, AnswerError, RawAnswer
from tests.evaluations import answer_factories as f


def _number(follow_up: Any, code: str) -> int:
    questionnaire = queries.questionnaire_for(follow_up)
    assert questionnaire is not None
    return int(questionnaire.questions.get(code=code).number)


def test_the_enterprise_submits_once_through_its_link_and_every_answer_is_stored(county: County) -> None:
    follow_up = f.follow_up(county)
    given = f.answers(follow_up, improper_requests=(["是"], "要求指定机构检测"), suggestions="希望减少重复检查")
    response = svc.submit_answers(actor=None, follow_up=follow_up, answers=given)
    assert response.channel == ResponseChannel.LINK and response.recorded_by is None
    stored = {a.question.code: a for a in Answer.objects.filter(response=response).select_related("question")}
    assert len(stored) == 10
    assert stored["improper_requests"].choices == ["是"] and stored["improper_requests"].text == "要求指定机构检测"
    assert stored["suggestions"].text == "希望减少重复检查"


def test_the_audit_event_targets_the_response_and_carries_no_answer_or_enterprise(county: County) -> None:
    follow_up = f.follow_up(county)
    response = svc.submit_answers(
        actor=None, follow_up=follow_up, answers=f.answers(follow_up, suggestions="检查人员态度很好")
    )
    event = AuditEvent.objects.get(action="evaluations.submit_response")
    assert (event.target_type, event.target_id) == ("evaluations.response", str(response.pk))
    text = f"{event.after} {event.target_repr} {event.before}"
    for secret in ("检查人员态度很好", "非常满意", county.enterprise.name):
        assert secret not in text
    assert set(event.after) == {"response", "questionnaire_version", "channel"}


@pytest.mark.parametrize(
    ("code", "given", "message"),
    [
        ("id_shown", [], "请选择一项"),
        ("within_scope", ["部分一致"], "不是此题的选项"),
        ("impact", ["无影响", "影响较小"], "只能选一项"),
        ("improper_requests", ["是"], "选择“是”时请说明具体情况"),
        ("repeated", (["是"], "   "), "请说明"),
        ("suggestions", "长" * 1001, "不超过 1000 字"),
    ],
)
def test_each_bad_answer_gets_its_own_chinese_message_and_nothing_is_written(
    county: County, code: str, given: Any, message: str
) -> None:
    follow_up = f.follow_up(county)
    with pytest.raises(AnswerError) as caught:
        svc.submit_answers(actor=None, follow_up=follow_up, answers=f.answers(follow_up, **{code: given}))
    assert message in caught.value.errors[_number(follow_up, code)]
    assert len(caught.value.errors) == 1
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not AuditEvent.objects.filter(action="evaluations.submit_response").exists()


def test_an_optional_question_may_be_left_blank_and_a_stray_explanation_is_dropped(county: County) -> None:
    follow_up = f.follow_up(county)
    given = f.answers(follow_up, suggestions="", improper_requests=(["否"], "先选了是又改成否"))
    response = svc.submit_answers(actor=None, follow_up=follow_up, answers=given)
    assert Answer.objects.get(response=response, question__code="improper_requests").text == ""


def test_an_answer_to_a_question_of_another_version_is_refused(county: County) -> None:
    follow_up = f.follow_up(county)
    draft = qsvc.create_version(actor=county.user("office"), title="下一版", copy_from=f.default_questionnaire())
    foreign = draft.questions.first()
    assert foreign is not None
    given = f.answers(follow_up) | {foreign.pk: RawAnswer(choices=("是",))}
    with pytest.raises(AnswerError, match="不属于本问卷"):
        svc.submit_answers(actor=None, follow_up=follow_up, answers=given)


def test_a_second_answer_is_refused_and_the_first_stays_unchanged(county: County) -> None:
    follow_up = f.follow_up(county)
    first = svc.submit_answers(actor=None, follow_up=follow_up, answers=f.answers(follow_up))
    with pytest.raises(AnswerError, match="只能提交一份"):
        svc.submit_answers(actor=None, follow_up=follow_up, answers=f.answers(follow_up, satisfaction=["非常不满意"]))
    assert list(Response.objects.values_list("pk", flat=True)) == [first.pk]
    assert Answer.objects.get(response=first, question__code="satisfaction").choices == ["非常满意"]


def test_a_racing_second_answer_loses_on_the_unique_constraint_and_writes_nothing(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow_up = f.follow_up(county)
    svc.submit_answers(actor=None, follow_up=follow_up, answers=f.answers(follow_up))
    answers_before, events_before = Answer.objects.count(), AuditEvent.objects.count()
    monkeypatch.setattr(svc, "_check_follow_up", lambda follow_up: None)  # both passed the check at once
    with pytest.raises(AnswerError) as caught:
        svc.submit_answers(actor=None, follow_up=follow_up, answers=f.answers(follow_up))
    assert str(caught.value) == ALREADY_ANSWERED
    assert (Response.objects.count(), Answer.objects.count(), AuditEvent.objects.count()) == (
        1,
        answers_before,
        events_before,
    )


def test_an_enterprise_user_cannot_answer_another_enterprises_inspection(county: County) -> None:
    follow_up = f.follow_up(county)
    with pytest.raises(AnswerError, match="只能由被检查企业填写"):
        svc.submit_answers(
            actor=county.user("enterprise", other=True), follow_up=follow_up, answers=f.answers(follow_up)
        )
    response = svc.submit_answers(actor=county.user("enterprise"), follow_up=follow_up, answers=f.answers(follow_up))
    assert response.pk


def test_a_supervisor_records_the_phone_answers_with_its_name(county: County) -> None:
    follow_up = f.follow_up(county)
    supervisor = county.user("supervisor")
    response = svc.record_phone_answers(actor=supervisor, follow_up=follow_up, answers=f.answers(follow_up))
    assert (response.channel, response.recorded_by) == (ResponseChannel.FOLLOW_UP, supervisor)
    with pytest.raises(AnswerError, match="只能提交一份"):
        svc.submit_answers(actor=None, follow_up=follow_up, answers=f.answers(follow_up))


@pytest.mark.parametrize("role", ["dept_admin", "inspector", "enterprise"])
def test_only_judicial_or_office_staff_record_phone_answers(county: County, role: str) -> None:
    follow_up = f.follow_up(county)
    with pytest.raises(AnswerError, match="代录"):
        svc.record_phone_answers(actor=county.user(role), follow_up=follow_up, answers=f.answers(follow_up))
    assert not Response.objects.exists()


def test_a_follow_up_answers_the_version_active_when_it_was_created(county: County) -> None:
    follow_up = f.follow_up(county)
    first = f.default_questionnaire()
    draft = qsvc.create_version(actor=county.user("office"), title="第二版", copy_from=first)
    qsvc.add_question(actor=county.user("office"), questionnaire=draft, spec=qsvc.QuestionSpec("新增题", "text"))
    qsvc.activate(actor=county.user("office"), questionnaire=draft)
    assert queries.questionnaire_for(follow_up) == first
    assert queries.questionnaire_for(f.follow_up(county)) == draft
    response = svc.submit_answers(actor=None, follow_up=follow_up, answers=f.answers(follow_up))
    assert response.questionnaire == first


def test_the_answer_link_is_a_signed_questionnaire_code_expiring_link_days_after_the_follow_up(
    county: County, settings: Any
) -> None:
    follow_up = f.follow_up(county)
    token = queries.answer_token(follow_up)
    claims = codes.read_code(token, kind=codes.QUESTIONNAIRE)
    assert claims.object_id == follow_up.pk
    assert abs(claims.expires_at - (follow_up.created_at + dt.timedelta(days=30))) < dt.timedelta(seconds=2)
    with pytest.raises(codes.CodeError) as caught:
        codes.read_code(token, kind=codes.QUESTIONNAIRE, now=claims.expires_at + dt.timedelta(seconds=1))
    assert caught.value.reason == "expired"
    settings.QJ_PUBLIC_BASE_URL = "https://qj.example.gov.cn"
    assert queries.answer_url(token) == f"https://qj.example.gov.cn/e/{token}"
