"""Factories of the questionnaire and answer tests: follow-ups (from a check-in written directly, the follow-up
through its service), extra enterprises, and answer sets by question code."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from qijian.checkins.models import CheckIn
from qijian.core.calendar import Quarter, local_today
from qijian.core.codes.uscc import make_uscc
from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.evaluations.models import FollowUp, Questionnaire
from qijian.evaluations.queries.answers import questionnaire_for
from qijian.evaluations.services.answers import RawAnswer, submit_answers
from qijian.evaluations.services.followups import create_follow_up
from qijian.evaluations.services.questionnaires import ensure_default_questionnaire
from qijian.policy.loader import figure

_SEQ = itertools.count(1)

GOOD = {
    "id_shown": ["是"],
    "notified": ["是"],
    "two_inspectors": ["是"],
    "within_scope": ["一致"],
    "impact": ["无影响"],
    "improper_requests": ["否"],
    "leniency": ["是"],
    "repeated": ["否"],
    "satisfaction": ["非常满意"],
}


def default_questionnaire() -> Questionnaire:
    return ensure_default_questionnaire()


def enterprise(county: County, name: str) -> Enterprise:
    n = next(_SEQ)
    return Enterprise.objects.create(
        uscc=make_uscc("91130921", f"MA0Q{n:04d}"),
        name=name,
        township=county.township,
        type="company",
        industry=county.industry,
        address="沧县",
        legal_representative="赵六",
    )


def follow_up(
    county: County,
    *,
    of: Enterprise | None = None,
    other_department: bool = False,
    scanned_at: dt.datetime | None = None,
) -> FollowUp:
    """The follow-up of a finished on-site check-in by the first (or the other) department's inspector."""
    default_questionnaire()
    inspector = county.other_inspector if other_department else county.inspector
    checkin = CheckIn.objects.create(
        idempotency_key=f"answers-{next(_SEQ)}",
        enterprise=of or county.enterprise,
        inspector=inspector,
        recorded_by=county.user("inspector", other=other_department),
        scanned_at=scanned_at or dt.datetime.now(dt.UTC) - dt.timedelta(hours=3),
        unfiled=True,
        status="checked_out",
        checked_out_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
    )
    created = create_follow_up(actor=None, checkin=checkin)
    assert created is not None
    return created


def answers(follow_up: FollowUp, **by_code: Any) -> dict[int, RawAnswer]:
    """Answers to every question of the follow-up's questionnaire: the good ones unless ``by_code`` says
    otherwise (a list of choices, or a (choices, text) pair; a str for the free-text question)."""
    questionnaire = questionnaire_for(follow_up)
    assert questionnaire is not None
    out: dict[int, RawAnswer] = {}
    for question in questionnaire.questions.all():
        given = by_code.get(question.code, GOOD.get(question.code, ""))
        if isinstance(given, str):
            out[question.pk] = RawAnswer(text=given)
        elif isinstance(given, tuple):
            out[question.pk] = RawAnswer(choices=tuple(given[0]), text=given[1])
        else:
            out[question.pk] = RawAnswer(choices=tuple(given))
    return out


def answered(county: County, *, of: Enterprise | None = None, other_department: bool = False, **by_code: Any) -> Any:
    """A follow-up with the enterprise's response through the link."""
    found = follow_up(county, of=of, other_department=other_department)
    return submit_answers(actor=None, follow_up=found, answers=answers(found, **by_code))


def answers_in(monkeypatch: pytest.MonkeyPatch, quarter: Quarter | None = None) -> Quarter:
    """Move the clock of department reads (queries.answers) past the day ``quarter``'s answers are all in
    (default: the current quarter), so that a department admin may read it — and reads it by default."""
    from qijian.evaluations.queries import answers as queries

    quarter = quarter or Quarter.of(local_today())
    days = int(figure("follow_up.days")) + int(figure("evaluation.link_days")) + 1
    monkeypatch.setattr(queries, "local_today", lambda: quarter.end + dt.timedelta(days=days))
    return quarter
