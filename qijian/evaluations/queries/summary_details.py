"""The clue list of the joint meeting's packet: each problem answer, complaint and R01/R02 alert of a
quarter, with its enterprise and a referral advice (对问题线索是否移送纪检监察机关提出建议).

Read by the office and the supervisor only (it names enterprises and, through them, who answered
what); three queries whatever the number of clues, each capped at ``DETAIL_LIMIT`` rows.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from qijian.evaluations.models import Answer, Complaint
from qijian.evaluations.queries.summary import (
    CLUE_LABELS,
    CLUE_RULES,
    DETAIL_LIMIT,
    PROBLEM_ANSWERS,
    REFERRAL_CODES,
    RULE_LABELS,
    SUGGESTIONS_CODE,
    UNASSIGNED,
    ClueDetail,
)
from qijian.oversight.choices import ReferralStatus
from qijian.oversight.models import Alert, Referral

ADVICE_REFER = "建议研究是否移送纪检监察机关"
ADVICE_NONE = "—"
_STATUS = dict(ReferralStatus.choices)


def _day(value: dt.datetime) -> dt.date:
    return timezone.localdate(value)


def _clue_q() -> Q:
    """Answers that are problem clues: the first choice is one of the question's problem answers."""
    return reduce(or_, (Q(question__code=code, choices__0__in=sorted(bad)) for code, bad in PROBLEM_ANSWERS.items()))


def _latest_referral(**link: Any) -> Subquery:
    return Subquery(Referral.objects.filter(**link).order_by("-proposed_at", "-id").values("status")[:1])


def _advice(referral_status: str | None, candidate: bool) -> str:
    if referral_status:
        return f"已提请移送:{_STATUS.get(referral_status, referral_status)}"
    return ADVICE_REFER if candidate else ADVICE_NONE


def _answers(bounds: tuple[dt.datetime, dt.datetime]) -> list[ClueDetail]:
    rows = (
        Answer.objects.filter(
            _clue_q(),
            response__follow_up__inspected_on__gte=bounds[0].date(),
            response__follow_up__inspected_on__lt=bounds[1].date(),
        )
        .values(
            "choices",
            "text",
            at=F("response__submitted_at"),
            department=F("response__follow_up__department__name"),
            enterprise=F("response__follow_up__enterprise__name"),
            code=F("question__code"),
        )
        .order_by("response__submitted_at", "id")[:DETAIL_LIMIT]
    )
    return [
        ClueDetail(
            "问卷",
            _day(r["at"]),
            r["department"],
            r["enterprise"],
            CLUE_LABELS[r["code"]],
            "、".join(r["choices"]) + (f"({r['text']})" if r["text"] else ""),
            ADVICE_REFER if r["code"] in REFERRAL_CODES else ADVICE_NONE,
        )
        for r in rows
    ]


def _suggestions(bounds: tuple[dt.datetime, dt.datetime]) -> list[ClueDetail]:
    """The enterprises' written 意见和建议 (mechanism 4 asks for them beside the clues)."""
    rows = (
        Answer.objects.filter(
            question__code=SUGGESTIONS_CODE,
            response__follow_up__inspected_on__gte=bounds[0].date(),
            response__follow_up__inspected_on__lt=bounds[1].date(),
        )
        .exclude(text="")
        .values(
            "text",
            at=F("response__submitted_at"),
            department=F("response__follow_up__department__name"),
            enterprise=F("response__follow_up__enterprise__name"),
        )
        .order_by("response__submitted_at", "id")[:DETAIL_LIMIT]
    )
    return [
        ClueDetail("意见建议", _day(r["at"]), r["department"], r["enterprise"], "意见和建议", r["text"], ADVICE_NONE)
        for r in rows
    ]


def _complaints(bounds: tuple[dt.datetime, dt.datetime]) -> list[ClueDetail]:
    rows = (
        Complaint.objects.filter(received_at__gte=bounds[0], received_at__lt=bounds[1])
        .annotate(referral_status=_latest_referral(complaint=OuterRef("pk")))
        .values("number", "received_at", "summary", "referral_status", "department__name", "enterprise__name")
        .order_by("received_at", "id")[:DETAIL_LIMIT]
    )
    return [
        ClueDetail(
            "投诉",
            _day(r["received_at"]),
            r["department__name"] or UNASSIGNED,
            r["enterprise__name"] or "",
            f"投诉举报 {r['number']}",
            r["summary"],
            _advice(r["referral_status"], False),
        )
        for r in rows
    ]


def _alerts(bounds: tuple[dt.datetime, dt.datetime]) -> list[ClueDetail]:
    rows = (
        Alert.objects.filter(rule__in=CLUE_RULES, raised_at__gte=bounds[0], raised_at__lt=bounds[1])
        .annotate(referral_status=_latest_referral(alert=OuterRef("pk")))
        .values(
            "rule",
            "raised_at",
            "message",
            "referral_candidate",
            "referral_status",
            "department__name",
            "enterprise__name",
        )
        .order_by("raised_at", "id")[:DETAIL_LIMIT]
    )
    return [
        ClueDetail(
            "预警",
            _day(r["raised_at"]),
            r["department__name"] or UNASSIGNED,
            r["enterprise__name"] or "",
            RULE_LABELS[r["rule"]],
            r["message"],
            _advice(r["referral_status"], r["referral_candidate"]),
        )
        for r in rows
    ]


def clue_details(bounds: tuple[dt.datetime, dt.datetime]) -> list[ClueDetail]:
    """Every clue of the interval, by day: answers, complaints, alerts; then the written suggestions."""
    details = _answers(bounds) + _complaints(bounds) + _alerts(bounds) + _suggestions(bounds)
    return sorted(details, key=lambda d: (d.kind == "意见建议", d.day, d.kind))
