"""Helpers of the referral tests (no tests here): an unfiled check-in with its R01 alert, a filed and
answered visit, and referrals proposed / approved through the services."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from qijian.checkins import services as checkin_services
from qijian.checkins.models import CheckIn
from qijian.core.testing import County
from qijian.oversight import referrals
from qijian.oversight.models import Alert, Referral

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
REASON = "李四未报备即入企检查,涉嫌违反不报备不检查规定"


def unfiled_visit(county: County) -> tuple[CheckIn, Alert]:
    """The first inspector enters the first enterprise with no filing: stored, with a critical R01 alert;
    one photo and a check-out follow."""
    inspector = county.user("inspector")
    row, _ = checkin_services.record_checkin(
        actor=inspector, idempotency_key=uuid.uuid4().hex, enterprise=county.enterprise
    )
    upload = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    checkin_services.add_attachment(actor=inspector, checkin=row, upload=upload)
    deadline = dt.date.today() + dt.timedelta(days=15)
    row = checkin_services.check_out(
        actor=inspector, checkin=row, result="problems", rectification_deadline=deadline, note="消防通道堵塞"
    )
    return row, Alert.objects.get(dedup_key=f"R01:checkin:{row.pk}")


def answer(checkin: CheckIn, choices: dict[str, str]) -> Any:
    """The enterprise's questionnaire answers for the check-in's follow-up (rows written directly)."""
    from qijian.evaluations.models import Answer, FollowUp, Question, Questionnaire, Response

    follow_up = FollowUp.objects.get(checkin=checkin)
    questionnaire, _ = Questionnaire.objects.get_or_create(
        version=901, defaults={"title": "测试问卷", "status": "active"}
    )
    response = Response.objects.create(
        follow_up=follow_up, questionnaire=questionnaire, channel="link", submitted_at=dt.datetime.now(dt.UTC)
    )
    for number, (code, text) in enumerate(choices.items(), start=1):
        question, _ = Question.objects.get_or_create(
            questionnaire=questionnaire, number=number, defaults={"text": f"问题{code}", "kind": "yes_no", "code": code}
        )
        Answer.objects.create(response=response, question=question, choices=[text])
    return response


def propose(county: County, alert: Alert, *, by: str = "supervisor", reason: str = REASON) -> Referral:
    return referrals.propose_referral(actor=county.user(by), alert=alert, reason=reason)


def approved(county: County, alert: Alert) -> Referral:
    referral = propose(county, alert)
    referrals.approve_referral(actor=county.user("supervisor"), referral=referral)
    return referrals.approve_referral(actor=county.user("office"), referral=referral)
