"""Demo answers (附件3): most demo follow-ups get a response, through the services, with a realistic mix —
mostly satisfied, some minor complaints about time taken, one problem clue (an improper request, with
its explanation), and a few answers recorded by 司法局 on the phone. Idempotent: a follow-up that has a
response is skipped. Runs after demo_followups (follow-ups come from the check-ins demo's check-outs).
"""

from __future__ import annotations

from typing import Any

from qijian.accounts.models import User
from qijian.evaluations.models import FollowUp, Response
from qijian.evaluations.queries.answers import questionnaire_for
from qijian.evaluations.services.answers import RawAnswer, record_phone_answers, submit_answers
from qijian.evaluations.services.questionnaires import ensure_default_questionnaire

SKIP_EVERY = 5  # every fifth follow-up stays unanswered (the enterprise did not reply yet)
PHONE_EVERY = 4  # every fourth answered one was given on the phone and recorded by 司法局

GOOD: dict[str, Any] = {
    "id_shown": ["是"],
    "notified": ["是"],
    "two_inspectors": ["是"],
    "within_scope": ["一致"],
    "impact": ["无影响"],
    "improper_requests": ["否"],
    "leniency": ["是"],
    "repeated": ["否"],
    "satisfaction": ["非常满意"],
    "suggestions": "",
}
VARIANTS: tuple[dict[str, Any], ...] = (
    {},
    {"satisfaction": ["满意"], "impact": ["影响较小"]},
    {"satisfaction": ["满意"], "leniency": ["不涉及"], "suggestions": "希望提前告知需要准备的材料清单"},
    {"satisfaction": ["基本满意"], "impact": ["影响较小"], "suggestions": "检查时间较长,建议错开生产高峰"},
    {"satisfaction": ["非常满意"], "suggestions": "执法人员讲解细致,指出的隐患已整改"},
    {"satisfaction": ["满意"], "leniency": ["不涉及"]},
)
# The one problem clue of the demo county: an improper request, explained, and a dissatisfied enterprise.
CLUE: dict[str, Any] = {
    "improper_requests": (["是"], "检查人员建议我们到指定公司购买消防器材,否则不予通过"),
    "repeated": (["是"], "本月已有两个部门分别来检查消防通道"),
    "impact": ["影响较大"],
    "satisfaction": ["不满意"],
    "suggestions": "希望各部门联合检查,减少重复",
}


def _answers(follow_up: FollowUp, given: dict[str, Any]) -> dict[int, RawAnswer]:
    questionnaire = questionnaire_for(follow_up)
    assert questionnaire is not None
    out: dict[int, RawAnswer] = {}
    for question in questionnaire.questions.all():
        value = given.get(question.code, GOOD.get(question.code, ""))
        if isinstance(value, str):
            out[question.pk] = RawAnswer(text=value)
        elif isinstance(value, tuple):
            out[question.pk] = RawAnswer(choices=tuple(value[0]), text=value[1])
        else:
            out[question.pk] = RawAnswer(choices=tuple(value))
    return out


def _mix(index: int) -> dict[str, Any]:
    return CLUE if index == 2 else GOOD | VARIANTS[index % len(VARIANTS)]


def load_demo() -> None:
    """Answer most demo follow-ups; a second call adds nothing."""
    ensure_default_questionnaire()
    supervisor = User.objects.filter(username="supervisor").first()
    answered = set(Response.objects.values_list("follow_up_id", flat=True))
    for index, follow_up in enumerate(FollowUp.objects.order_by("id")):
        if index % SKIP_EVERY == SKIP_EVERY - 1 or follow_up.pk in answered:
            continue
        given = _answers(follow_up, _mix(index))
        if supervisor is not None and index % PHONE_EVERY == 1:
            record_phone_answers(actor=supervisor, follow_up=follow_up, answers=given)
        else:
            submit_answers(actor=None, follow_up=follow_up, answers=given)
