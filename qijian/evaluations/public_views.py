"""The enterprise answers the questionnaire of one inspection without signing in: /e/<token>.

The signed 问卷码 (codes.QUESTIONNAIRE, bound to the follow-up, expiring ``evaluation.link_days`` after
it was created) is the permission. A forged or altered link is refused (400), an expired one 410, an
unknown follow-up 404; a signed-in enterprise user opening another enterprise's link gets 403. One
response per follow-up: a second submission (also a concurrent one) is refused and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from qijian.accounts.choices import Role
from qijian.checkins import codes
from qijian.evaluations.forms_questionnaires import answer_items, mark_errors, raw_answers
from qijian.evaluations.models import FollowUp, Response
from qijian.evaluations.queries import answers as queries
from qijian.evaluations.services.answers import ALREADY_ANSWERED, AnswerError, submit_answers
from qijian.policy.loader import figure

REFUSAL_STATUS = {"expired": 410}
OTHER_ENTERPRISE = "此问卷链接只能由被检查企业填写;请退出当前账号后,由企业打开链接作答。"


def refusal(request: HttpRequest, reason: str, *, status: int) -> HttpResponse:
    return render(request, "evaluations/answers/refused.html", {"reason": reason}, status=status)


def _other_enterprise(request: HttpRequest, follow_up: FollowUp) -> bool:
    """A signed-in account that is not this enterprise's (another enterprise, or staff: an inspector must not
    evaluate the inspection in the enterprise's name)."""
    user: Any = request.user
    return bool(
        user.is_authenticated and (user.role != Role.ENTERPRISE or user.enterprise_id != follow_up.enterprise_id)
    )


def _follow_up(request: HttpRequest, token: str) -> FollowUp | HttpResponse:
    try:
        claims = codes.read_code(token, kind=codes.QUESTIONNAIRE)
    except codes.CodeError as exc:
        return refusal(request, str(exc), status=REFUSAL_STATUS.get(exc.reason, 400))
    follow_up = queries.public_follow_up(claims.object_id)
    if follow_up is None:
        return refusal(request, "此问卷链接对应的检查不存在", status=404)
    if _other_enterprise(request, follow_up):
        return refusal(request, OTHER_ENTERPRISE, status=403)
    return follow_up


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    found = _follow_up(request, token)
    if isinstance(found, HttpResponse):
        return found
    if Response.objects.filter(follow_up=found).exists():
        status = 409 if request.method == "POST" else 200
        return render(request, "evaluations/answers/done.html", _header(found) | {"again": True}, status=status)
    return _form(request, found)


def _header(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "department": follow_up.department.name,
        "inspected_at": follow_up.checkin.scanned_at,
        "min_group": int(figure("evaluation.min_group")),
    }


def _form(request: HttpRequest, follow_up: FollowUp) -> HttpResponse:
    questionnaire = queries.questionnaire_for(follow_up)
    if questionnaire is None:
        return refusal(request, "当前没有启用的评价问卷,请联系县司法局。", status=503)
    posted = request.method == "POST"
    items = answer_items(queries.questions_of(questionnaire), request.POST if posted else None)
    context = _header(follow_up) | {"questionnaire": questionnaire, "items": items, "error": ""}
    if not posted:
        return render(request, "evaluations/answers/answer.html", context)
    actor = request.user if request.user.is_authenticated else None
    try:
        submit_answers(actor=actor, follow_up=follow_up, answers=raw_answers(items))
    except AnswerError as exc:
        if str(exc) == ALREADY_ANSWERED:
            return render(request, "evaluations/answers/done.html", _header(follow_up) | {"again": True}, status=409)
        mark_errors(items, exc.errors)
        return render(request, "evaluations/answers/answer.html", context | {"error": str(exc)}, status=400)
    return render(request, "evaluations/answers/done.html", _header(follow_up) | {"again": False})
