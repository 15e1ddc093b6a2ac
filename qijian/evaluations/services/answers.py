"""Answer services: the enterprise's one response per follow-up (through the signed link), or the answers
a 司法局 supervisor records during a phone follow-up. A response is never edited after submission.

Anonymity: the audit event of a submission targets the Response ("答卷 <id>") and carries no answer and
no enterprise; what was answered is read by the office and the supervisor only (queries/answers.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from qijian.accounts.choices import Role
from qijian.audit.services import record_event
from qijian.evaluations.choices import QuestionKind, ResponseChannel
from qijian.evaluations.models import Answer, FollowUp, Question, Questionnaire, Response
from qijian.evaluations.queries.answers import questionnaire_for

MAX_TEXT_CHARS = 1000  # a free-text answer or explanation (a phone page, not a letter)
ALREADY_ANSWERED = "此次检查的评价问卷已经提交,每次检查只能提交一份,提交后不能修改。"
SINGLE_KINDS = (QuestionKind.SATISFACTION, QuestionKind.YES_NO, QuestionKind.SINGLE)


class AnswerError(ValueError):
    """Answers that cannot be accepted; ``errors`` maps a question number to its Chinese message."""

    def __init__(self, message: str, errors: Mapping[int, str] | None = None) -> None:
        super().__init__(message)
        self.errors = dict(errors or {})


@dataclass(frozen=True)
class RawAnswer:
    """What was given for one question: the chosen options and the text (free text or explanation)."""

    choices: Sequence[str] = field(default_factory=tuple)
    text: str = ""


# --- validation -------------------------------------------------------------------------------------------


def _explaining(question: Question, choices: Sequence[str]) -> bool:
    return any(c in question.explain_options for c in choices)


def check_answer(question: Question, raw: RawAnswer) -> str:
    """The Chinese message of what is wrong with one answer ("" when it is acceptable)."""
    choices, text = list(dict.fromkeys(raw.choices)), raw.text.strip()
    if "\x00" in text:
        return "文字含有无效字符"
    if len(text) > MAX_TEXT_CHARS:
        return f"文字不超过 {MAX_TEXT_CHARS} 字(现有 {len(text)} 字)"
    if question.kind == QuestionKind.TEXT:
        return "请填写此题" if question.required and not text else ""
    if not choices:
        return "请选择一项" if question.required else ""
    if any(c not in question.options for c in choices):
        return "所选项不是此题的选项"
    if question.kind in SINGLE_KINDS and len(choices) > 1:
        return "此题只能选一项"
    if _explaining(question, choices) and not text:
        return f"选择“{'、'.join(c for c in choices if c in question.explain_options)}”时请说明具体情况"
    return ""


def _clean(question: Question, raw: RawAnswer) -> Answer:
    choices, text = list(dict.fromkeys(raw.choices)), raw.text.strip()
    if question.kind != QuestionKind.TEXT and not _explaining(question, choices):
        text = ""  # an explanation left behind after switching to an option that needs none
    return Answer(question=question, choices=choices, text=text)


def validate_answers(questionnaire: Questionnaire, answers: Mapping[int, RawAnswer]) -> list[Answer]:
    """Unsaved answers (one per question) keyed by question id, or AnswerError with per-question messages."""
    questions = list(questionnaire.questions.order_by("number"))
    known = {q.pk for q in questions}
    if any(pk not in known for pk in answers):
        raise AnswerError("答案包含不属于本问卷的题目")
    errors = {q.number: msg for q in questions if (msg := check_answer(q, answers.get(q.pk, RawAnswer())))}
    if errors:
        raise AnswerError(f"有 {len(errors)} 道题需要修改", errors)
    return [_clean(q, answers.get(q.pk, RawAnswer())) for q in questions]


# --- submission -------------------------------------------------------------------------------------------


def _check_link_user(actor: Any, follow_up: FollowUp) -> None:
    """Through the link, only the inspected enterprise answers: nobody signed in, or its own account."""
    role = getattr(actor, "role", None)
    if role is not None and (role != Role.ENTERPRISE or actor.enterprise_id != follow_up.enterprise_id):
        raise AnswerError("此问卷链接只能由被检查企业填写。")


def _check_follow_up(follow_up: FollowUp) -> None:
    if Response.objects.filter(follow_up=follow_up).exists():
        raise AnswerError(ALREADY_ANSWERED)


def _store(follow_up: FollowUp, questionnaire: Questionnaire, rows: list[Answer], **fields: Any) -> Response:
    """Insert the response and its answers; a concurrent second answer loses on the unique follow-up."""
    try:
        with transaction.atomic():
            response = Response.objects.create(follow_up=follow_up, questionnaire=questionnaire, **fields)
    except IntegrityError as exc:
        raise AnswerError(ALREADY_ANSWERED) from exc
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response


def _submit(
    *, actor: Any, follow_up: FollowUp, answers: Mapping[int, RawAnswer], channel: str, recorded_by: Any
) -> Response:
    _check_follow_up(follow_up)
    questionnaire = questionnaire_for(follow_up)
    if questionnaire is None:
        raise AnswerError("当前没有启用的评价问卷,请联系县司法局。")
    rows = validate_answers(questionnaire, answers)
    now = dt.datetime.now(dt.UTC)
    response = _store(follow_up, questionnaire, rows, channel=channel, submitted_at=now, recorded_by=recorded_by)
    after = {"response": response.pk, "questionnaire_version": questionnaire.version, "channel": channel}
    record_event(actor=actor, action="evaluations.submit_response", target=response, after=after)
    return response


@transaction.atomic
def submit_answers(*, actor: Any, follow_up: FollowUp, answers: Mapping[int, RawAnswer]) -> Response:
    """The enterprise's response through its signed link (``actor`` is None, or the signed-in enterprise user;
    the caller has verified the link). One per follow-up; nothing is written when any answer is refused."""
    _check_link_user(actor, follow_up)
    return _submit(actor=actor, follow_up=follow_up, answers=answers, channel=ResponseChannel.LINK, recorded_by=None)


@transaction.atomic
def record_phone_answers(*, actor: Any, follow_up: FollowUp, answers: Mapping[int, RawAnswer]) -> Response:
    """The answers the enterprise gave by phone during the follow-up, recorded by a 司法局 supervisor (or the
    office); the response says who recorded it."""
    if getattr(actor, "role", None) not in (Role.SUPERVISOR, Role.OFFICE):
        raise AnswerError("只有县司法局或联席会议办公室的工作人员可以代录回访答卷。")
    return _submit(
        actor=actor, follow_up=follow_up, answers=answers, channel=ResponseChannel.FOLLOW_UP, recorded_by=actor
    )
