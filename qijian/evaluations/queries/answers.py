"""Reads of questionnaires and answers.

Who reads what (anonymity): a response and its answers are read by the office and the supervisor only
(``Response.objects.restrict``). The inspected department reads ``aggregate()`` of its own department:
counts and shares per option, no enterprise, no free text, no row, and a question hidden when fewer than
``evaluation.min_group`` enterprises answered it. The quarterly summary imports ``aggregate`` too.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from qijian.accounts.choices import Role
from qijian.checkins import codes, qr
from qijian.core.calendar import Quarter, local_today
from qijian.evaluations.choices import QuestionKind, QuestionnaireStatus
from qijian.evaluations.models import Answer, FollowUp, Question, Questionnaire, Response
from qijian.evaluations.questionnaire_defaults import SATISFACTION_SCORES
from qijian.policy.loader import figure

READERS = frozenset({Role.OFFICE, Role.SUPERVISOR})


# --- which questionnaire a follow-up answers ----------------------------------------------------------------


def active_questionnaire() -> Questionnaire | None:
    return Questionnaire.objects.filter(status=QuestionnaireStatus.ACTIVE).first()


def questionnaire_for(follow_up: FollowUp) -> Questionnaire | None:
    """The version the follow-up answers: its response's, else the one active when the follow-up was created,
    else the active one."""
    response = Response.objects.filter(follow_up=follow_up).select_related("questionnaire").first()
    if response is not None:
        return response.questionnaire
    used = (
        Questionnaire.objects.filter(
            status__in=(QuestionnaireStatus.ACTIVE, QuestionnaireStatus.RETIRED),
            activated_at__lte=follow_up.created_at,
        )
        .order_by("-activated_at")
        .first()
    )
    return used or active_questionnaire()


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    return list(questionnaire.questions.order_by("number"))


# --- the answer link ----------------------------------------------------------------------------------------


def link_expiry(follow_up: FollowUp) -> dt.datetime:
    return follow_up.created_at + dt.timedelta(days=int(figure("evaluation.link_days")))


def answer_token(follow_up: FollowUp) -> str:
    """The signed 问卷码 of a follow-up, valid ``evaluation.link_days`` after the follow-up was created."""
    return codes.sign(codes.QUESTIONNAIRE, follow_up.pk, link_expiry(follow_up))


def answer_url(token: str) -> str:
    """The address the link and the QR carry: ``<QJ_PUBLIC_BASE_URL>/e/<token>``."""
    return f"{str(settings.QJ_PUBLIC_BASE_URL).rstrip('/')}/e/{token}"


def qr_data_uri(url: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr.svg(url).encode()).decode("ascii")


def public_follow_up(pk: int) -> FollowUp | None:
    """A follow-up with what the answer page prints (no user scope: the signed link is the permission)."""
    return FollowUp.objects.select_related("department", "checkin").filter(pk=pk).first()


# --- the follow-up panel (office and supervisor) ------------------------------------------------------------


def response_with_answers(responses: QuerySet[Response]) -> QuerySet[Response]:
    answers = Answer.objects.select_related("question").order_by("question__number")
    return responses.select_related(
        "questionnaire", "recorded_by", "follow_up__enterprise", "follow_up__department"
    ).prefetch_related(Prefetch("answers", queryset=answers))


def answer_panel(user: Any, follow_up: FollowUp) -> dict[str, Any]:
    """Context of templates/evaluations/answers/_follow_up_panel.html: the link, its QR, and the answers.
    Empty (the panel renders nothing) for a user who may not read answers."""
    if getattr(user, "role", None) not in READERS:
        return {}
    response = response_with_answers(Response.objects.restrict(user)).filter(follow_up=follow_up).first()
    panel: dict[str, Any] = {"panel_visible": True, "response": response, "follow_up": follow_up}
    if response is None:
        token = answer_token(follow_up)
        expires_at = link_expiry(follow_up)
        url = answer_url(token)
        expired = dt.datetime.now(dt.UTC) > expires_at
        panel |= {"answer_url": url, "qr": qr_data_uri(url), "expires_at": expires_at, "expired": expired}
    return panel


# --- lists for office and supervisor ------------------------------------------------------------------------


def responses_for(user: Any) -> QuerySet[Response]:
    return Response.objects.restrict(user).select_related(
        "questionnaire", "recorded_by", "follow_up__enterprise", "follow_up__department"
    )


# --- aggregates (what a department may see) -----------------------------------------------------------------


@dataclass(frozen=True)
class OptionCount:
    option: str
    count: int
    share: float  # of the responses that answered the question (multiple choice: may sum past 1)


@dataclass(frozen=True)
class QuestionAggregate:
    key: str  # the question's code, or "v<version>-<number>" for a question without one
    number: int
    text: str
    kind: str
    hidden: bool  # fewer than min_group enterprises answered: no figures are given
    answered: int = 0  # responses that answered it (0 when hidden)
    options: tuple[OptionCount, ...] = ()
    average_score: float | None = None  # five-level satisfaction only (5 = 非常满意 … 1 = 非常不满意)


@dataclass(frozen=True)
class Aggregate:
    start: dt.date
    end: dt.date
    min_group: int
    responses: int | None  # responses in the period (None when fewer than min_group enterprises answered)
    questions: tuple[QuestionAggregate, ...] = field(default_factory=tuple)


@dataclass
class _Tally:
    number: int
    text: str
    kind: str
    options: list[str]
    version: int
    answered: int = 0
    enterprises: set[int] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)


_FIELDS = (
    "question__code",
    "question__number",
    "question__text",
    "question__kind",
    "question__options",
    "question__questionnaire__version",
    "choices",
    "response__follow_up__enterprise_id",
)


def _rows(department_ids: Iterable[int], start: dt.date, end: dt.date) -> Iterable[dict[str, Any]]:
    return (
        Answer.objects.filter(
            response__follow_up__department_id__in=list(department_ids),
            response__follow_up__inspected_on__gte=start,
            response__follow_up__inspected_on__lte=end,
        )
        .exclude(question__kind=QuestionKind.TEXT)
        .values(*_FIELDS)
        .iterator()
    )


def _key(row: dict[str, Any]) -> str:
    return row["question__code"] or f"v{row['question__questionnaire__version']}-{row['question__number']}"


def _tally(rows: Iterable[dict[str, Any]]) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = {}
    for row in rows:
        tally = tallies.get(_key(row))
        version = row["question__questionnaire__version"]
        if tally is None or version > tally.version:  # the newest version's wording and option order
            tally = _newer(tally, row)
            tallies[_key(row)] = tally
        if row["choices"]:
            tally.answered += 1
            tally.enterprises.add(row["response__follow_up__enterprise_id"])
            tally.counts.update(row["choices"])
    return tallies


def _newer(old: _Tally | None, row: dict[str, Any]) -> _Tally:
    tally = _Tally(
        number=row["question__number"],
        text=row["question__text"],
        kind=row["question__kind"],
        options=list(row["question__options"]),
        version=row["question__questionnaire__version"],
    )
    if old is not None:
        tally.answered, tally.enterprises, tally.counts = old.answered, old.enterprises, old.counts
    return tally


def _average(tally: _Tally) -> float | None:
    if tally.kind != QuestionKind.SATISFACTION or not tally.answered:
        return None
    total = sum(SATISFACTION_SCORES.get(option, 0) * n for option, n in tally.counts.items())
    return round(total / tally.answered, 2)


def _summarise(key: str, tally: _Tally, min_group: int) -> QuestionAggregate:
    hidden = QuestionAggregate(key=key, number=tally.number, text=tally.text, kind=tally.kind, hidden=True)
    if len(tally.enterprises) < min_group:
        return hidden
    options = tally.options + sorted(o for o in tally.counts if o not in tally.options)
    counts = tuple(
        OptionCount(option=o, count=tally.counts[o], share=round(tally.counts[o] / tally.answered, 4)) for o in options
    )
    return dataclasses.replace(
        hidden, hidden=False, answered=tally.answered, options=counts, average_score=_average(tally)
    )


def aggregate(
    department_ids: Iterable[int], start: dt.date, end: dt.date, *, min_group: int | None = None
) -> Aggregate:
    """Per question (grouped across versions by its code), counts and shares per option of the responses to
    follow-ups of ``department_ids`` whose inspection fell in ``start``..``end`` (inclusive). Free-text
    questions are left out; a question answered by fewer than ``min_group`` distinct enterprises (default
    ``evaluation.min_group``) is hidden. Contains no enterprise, no text and no per-response data."""
    ids = list(department_ids)
    group = int(figure("evaluation.min_group")) if min_group is None else min_group
    tallies = _tally(_rows(ids, start, end))
    questions = sorted((_summarise(k, t, group) for k, t in tallies.items()), key=lambda q: (q.number, q.key))
    period = Response.objects.filter(
        follow_up__department_id__in=ids, follow_up__inspected_on__gte=start, follow_up__inspected_on__lte=end
    )
    enough = period.values("follow_up__enterprise_id").distinct().count() >= group
    responses = period.count() if enough else None
    return Aggregate(start=start, end=end, min_group=group, responses=responses, questions=tuple(questions))


# --- when a department may read a quarter ------------------------------------------------------------------


def answers_closed(quarter: Quarter, today: dt.date | None = None) -> bool:
    """True once no answer about the quarter's inspections can still arrive: the quarter has ended, then
    the follow-up days and every answer link's days have passed. A department reads its aggregates only
    for such a quarter: figures that change as each answer arrives would tell it who answered what."""
    days = int(figure("follow_up.days")) + int(figure("evaluation.link_days"))
    return (today or local_today()) > quarter.end + dt.timedelta(days=days)


def last_closed_quarter(today: dt.date | None = None) -> Quarter:
    quarter = Quarter.of(today or local_today()).previous()
    while not answers_closed(quarter, today):
        quarter = quarter.previous()
    return quarter


def department_quarter(user: Any, quarter: Quarter | None, today: dt.date | None = None) -> Quarter:
    """The quarter ``user`` reads aggregates of: a department admin only a closed quarter (the last closed
    one by default; ValueError with a Chinese message for an open one); other readers any, this one by default."""
    if getattr(user, "role", None) != Role.DEPT_ADMIN:
        return quarter or Quarter.of(today or local_today())
    if quarter is None:
        return last_closed_quarter(today)
    if not answers_closed(quarter, today):
        latest = last_closed_quarter(today)
        raise ValueError(f"{quarter.label}的评价仍在收集中,部门可查看已结束收集的季度(最近为{latest.label})。")
    return quarter
