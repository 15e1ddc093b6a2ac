"""Rows for the quarterly-summary tests, written directly (the services are other parts' and tested there)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from qijian.checkins.models import CheckIn
from qijian.core.calendar import local_zone
from qijian.core.testing import County
from qijian.enterprises.models import Enterprise
from qijian.evaluations.models import Answer, Complaint, FollowUp, Question, Questionnaire, Response
from qijian.org.models import Department
from qijian.oversight.models import Alert, Referral

_SEQ = itertools.count(1)
YES_NO = ["是", "否"]
# (code, kind, options) of the county default questionnaire (附件3), in order.
QUESTIONS = [
    ("id_shown", "yes_no", YES_NO),
    ("notified", "yes_no", YES_NO),
    ("two_inspectors", "yes_no", YES_NO),
    ("within_scope", "single", ["一致", "超范围"]),
    ("impact", "single", ["无影响", "影响较小", "影响较大"]),
    ("improper_requests", "yes_no", ["否", "是"]),
    ("leniency", "single", ["是", "否", "不涉及"]),
    ("repeated", "yes_no", ["否", "是"]),
    ("satisfaction", "satisfaction", ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]),
    ("suggestions", "text", []),
]
GOOD = {
    "id_shown": "是",
    "notified": "是",
    "two_inspectors": "是",
    "within_scope": "一致",
    "impact": "无影响",
    "improper_requests": "否",
    "leniency": "是",
    "repeated": "否",
}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=local_zone())


def questionnaire() -> Questionnaire:
    found = Questionnaire.objects.filter(version=1).first()
    if found:
        return found
    q = Questionnaire.objects.create(version=1, title="沧县涉企执法评价调查问卷", status="active")
    for number, (code, kind, options) in enumerate(QUESTIONS, start=1):
        Question.objects.create(questionnaire=q, number=number, text=code, kind=kind, options=options, code=code)
    return q


def follow_up(
    county: County,
    *,
    due_on: dt.date,
    department: Department | None = None,
    enterprise: Enterprise | None = None,
    done_on: dt.date | None = None,
) -> FollowUp:
    n = next(_SEQ)
    enterprise = enterprise or county.enterprise
    checkin = CheckIn.objects.create(
        idempotency_key=f"summary-{n}",
        enterprise=enterprise,
        inspector=county.inspector,
        recorded_by=county.user("inspector"),
        scanned_at=at(due_on - dt.timedelta(days=5)),
    )
    return FollowUp.objects.create(
        checkin=checkin,
        enterprise=enterprise,
        department=department or county.dept,
        inspected_on=due_on - dt.timedelta(days=5),
        due_on=due_on,
        status="done" if done_on else "pending",
        done_at=at(done_on) if done_on else None,
    )


def respond(
    county: County,
    *,
    day: dt.date,
    satisfaction: str = "满意",
    department: Department | None = None,
    enterprise: Enterprise | None = None,
    suggestion: str = "",
    **answers: str,
) -> Response:
    """A response submitted on ``day`` to a follow-up due that day; unnamed questions get good answers.
    Each response is another enterprise's unless ``enterprise`` is given (anonymity counts enterprises)."""
    if enterprise is None:
        from tests.evaluations.answer_factories import enterprise as make_enterprise

        enterprise = make_enterprise(county, f"沧县答卷{next(_SEQ)}有限公司")
    fu = follow_up(county, due_on=day, department=department, enterprise=enterprise, done_on=day)
    FollowUp.objects.filter(pk=fu.pk).update(inspected_on=day)  # answers count by the inspection day
    response = Response.objects.create(
        follow_up=fu, questionnaire=questionnaire(), channel="link", submitted_at=at(day)
    )
    chosen = GOOD | {"satisfaction": satisfaction} | answers
    for question in questionnaire().questions.all():
        if question.code == "suggestions":
            Answer.objects.create(response=response, question=question, text=suggestion)
        else:
            text = "索要土特产" if question.code == "improper_requests" and chosen[question.code] == "是" else ""
            Answer.objects.create(response=response, question=question, choices=[chosen[question.code]], text=text)
    return response


def complaint(
    county: County,
    *,
    day: dt.date,
    department: Department | None = None,
    status: str = "received",
    reply_due: dt.date | None = None,
    summary: str = "检查人员态度粗暴",
    no_department: bool = False,
) -> Complaint:
    n = next(_SEQ)
    return Complaint.objects.create(
        number=f"TS-{n:05d}",
        source="hotline",
        external_id=f"H{n}",
        received_at=at(day),
        enterprise=county.enterprise,
        department=None if no_department else (department or county.dept),
        summary=summary,
        status=status,
        accept_due=day + dt.timedelta(days=3),
        reply_due=reply_due or day + dt.timedelta(days=21),
        replied_at=at(day + dt.timedelta(days=10)) if status == "replied" else None,
    )


def alert(county: County, *, day: dt.date, rule: str = "R01", department: Department | None = None) -> Alert:
    n = next(_SEQ)
    return Alert.objects.create(
        rule=rule,
        severity="critical",
        dedup_key=f"summary-{n}",
        raised_at=at(day),
        message=f"{rule} 测试预警 {n}",
        department=department or county.dept,
        enterprise=county.enterprise,
        referral_candidate=rule == "R01",
    )


def referral(county: County, *, day: dt.date, origin: Any, status: str = "proposed") -> Referral:
    n = next(_SEQ)
    link = {"alert": origin} if isinstance(origin, Alert) else {"complaint": origin}
    return Referral.objects.create(
        number=f"YS-{n:05d}",
        department=origin.department,
        enterprise=county.enterprise,
        reason="未报备入企",
        status=status,
        proposed_by=county.user("supervisor"),
        proposed_at=at(day),
        **link,
    )
