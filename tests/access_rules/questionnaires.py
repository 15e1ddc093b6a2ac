"""Access-matrix rows of the questionnaire and answer routes (docs/questionnaires.md).

Questionnaires (the questions) are read by the office, the supervisor and department admins; only the
office and the supervisor change them. Responses (with the enterprise) are read by the office and the
supervisor only; a department admin reads its own department's anonymous aggregates. The answer page
under /e/ needs no login: its signed link is the permission.
"""

from __future__ import annotations

from typing import Any

from qijian.core.testing import County
from tests.access_rules_base import Rule, api, page, roles

EDITORS = roles("office", "supervisor")
READERS = EDITORS | roles("dept_admin")


def _questionnaire(c: County) -> dict[str, Any]:
    return {"pk": c.questionnaire_draft.pk}  # type: ignore[attr-defined]


def _question(c: County) -> dict[str, Any]:
    draft = c.questionnaire_draft  # type: ignore[attr-defined]
    return {"pk": draft.pk, "question_pk": draft.questions.order_by("number").first().pk}


def _response(c: County) -> dict[str, Any]:
    return {"pk": c.questionnaire_response.pk}  # type: ignore[attr-defined]


def _unanswered(c: County) -> dict[str, Any]:
    return {"pk": c.unanswered_follow_up.pk}  # type: ignore[attr-defined]


def _token(c: County) -> dict[str, Any]:
    from qijian.evaluations.queries.answers import answer_token

    return {"token": answer_token(c.unanswered_follow_up)}  # type: ignore[attr-defined]


TABLE: dict[str, Rule] = {
    "evaluations:questionnaire_list": page(READERS),
    "evaluations:questionnaire_detail": page(READERS, obj=_questionnaire),
    "evaluations:questionnaire_new": page(EDITORS, writers=EDITORS),
    "evaluations:questionnaire_activate": page(EDITORS, obj=_questionnaire, writers=EDITORS, post_only=True),
    "evaluations:question_add": page(EDITORS, obj=_questionnaire, writers=EDITORS),
    "evaluations:question_edit": page(EDITORS, obj=_question, writers=EDITORS),
    "evaluations:question_delete": page(EDITORS, obj=_question, writers=EDITORS, post_only=True),
    "evaluations:response_list": page(EDITORS),
    "evaluations:response_detail": page(EDITORS, obj=_response),
    "evaluations:record_answers": page(EDITORS, obj=_unanswered, writers=EDITORS),
    "evaluations:answer_aggregates": page(READERS),
    # No sign-in needed; signed in, only the inspected enterprise's account (another enterprise, staff: 403).
    "evaluations_public:answer": Rule("public", read=roles("enterprise"), obj=_token, scoped=roles("enterprise")),
    "api:questionnaire-list": api(READERS),
    "api:questionnaire-detail": api(READERS, obj=_questionnaire),
    "api:questionnaire-aggregates": api(READERS),
    "api:questionnaireresponse-list": api(EDITORS),
    "api:questionnaireresponse-detail": api(EDITORS, obj=_response),
}


def populate(county: County) -> None:
    """A draft version, one answered follow-up and one unanswered (through the services)."""
    from qijian.evaluations.services.questionnaires import create_version
    from tests.evaluations import answer_factories as f

    active = f.default_questionnaire()
    county.questionnaire_draft = create_version(actor=None, title="matrix-草稿", copy_from=active)  # type: ignore[attr-defined]
    county.questionnaire_response = f.answered(county, suggestions="matrix-意见")  # type: ignore[attr-defined]
    county.unanswered_follow_up = f.follow_up(county)  # type: ignore[attr-defined]
