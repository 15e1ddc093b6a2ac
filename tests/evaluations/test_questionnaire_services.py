"""Questionnaire versions: the county default exists, drafts are edited per kind, activation freezes."""

from __future__ import annotations

import importlib

import pytest

from qijian.audit.models import AuditEvent
from qijian.core.testing import County
from qijian.evaluations.choices import QuestionKind, QuestionnaireStatus
from qijian.evaluations.models import Question, Questionnaire
from qijian.evaluations.questionnaire_defaults import SATISFACTION_OPTIONS
from qijian.evaluations.services import questionnaires as svc
from qijian.evaluations.services.questionnaires import QuestionnaireError, QuestionSpec
from tests.evaluations import answer_factories as f

CODES = [
    "id_shown",
    "notified",
    "two_inspectors",
    "within_scope",
    "impact",
    "improper_requests",
    "leniency",
    "repeated",
    "satisfaction",
    "suggestions",
]


def test_migration_creates_the_county_default_version_1_active_with_the_ten_coded_questions(db: None) -> None:
    """Run on an empty table (a transactional test earlier in the session may have flushed the migration's rows)."""
    from django.apps import apps

    migration = importlib.import_module("qijian.evaluations.migrations.0002_default_questionnaire")
    Questionnaire.objects.all().delete()
    migration.create_default(apps, None)
    migration.create_default(apps, None)  # a second run adds nothing
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.version == 1
    assert questionnaire.status == QuestionnaireStatus.ACTIVE and questionnaire.activated_at is not None
    questions = list(questionnaire.questions.order_by("number"))
    assert [q.code for q in questions] == CODES
    assert [q.number for q in questions] == list(range(1, 11))
    by_code = {q.code: q for q in questions}
    assert by_code["improper_requests"].explain_options == ["是"]
    assert by_code["satisfaction"].options == list(SATISFACTION_OPTIONS)
    assert by_code["suggestions"].kind == QuestionKind.TEXT and not by_code["suggestions"].required


def _draft(county: County) -> Questionnaire:
    active = f.default_questionnaire()
    return svc.create_version(actor=county.user("supervisor"), title="", copy_from=active)


def test_a_new_version_copies_the_active_one_as_a_draft_with_the_next_number(county: County) -> None:
    draft = _draft(county)
    assert draft.status == QuestionnaireStatus.DRAFT
    assert draft.version == Questionnaire.objects.exclude(pk=draft.pk).order_by("-version")[0].version + 1
    assert [q.code for q in draft.questions.order_by("number")] == CODES
    assert AuditEvent.objects.filter(action="evaluations.create_questionnaire", target_id=str(draft.pk)).exists()


def test_a_version_needs_a_title(county: County) -> None:
    with pytest.raises(QuestionnaireError, match="标题"):
        svc.create_version(actor=county.user("office"), title="  ")


@pytest.mark.parametrize(
    ("kind", "options", "explain", "stored"),
    [
        (QuestionKind.SATISFACTION, [], [], list(SATISFACTION_OPTIONS)),
        (QuestionKind.YES_NO, [], [], ["是", "否"]),
        (QuestionKind.YES_NO, ["否", "是"], ["是"], ["否", "是"]),
        (QuestionKind.SINGLE, ["一次", "两次", "三次以上"], [], ["一次", "两次", "三次以上"]),
        (QuestionKind.MULTIPLE, ["检查过多", "时间过长", "其他"], ["其他"], ["检查过多", "时间过长", "其他"]),
        (QuestionKind.TEXT, [], [], []),
    ],
)
def test_each_kind_of_question_is_added_with_its_options(
    county: County, kind: str, options: list[str], explain: list[str], stored: list[str]
) -> None:
    draft = svc.create_version(actor=county.user("office"), title="试行问卷")
    spec = QuestionSpec(text="题目", kind=kind, options=options, explain_options=explain)
    question = svc.add_question(actor=county.user("office"), questionnaire=draft, spec=spec)
    assert question.number == 1 and question.options == stored and question.explain_options == explain


@pytest.mark.parametrize(
    ("kind", "options", "explain", "message"),
    [
        (QuestionKind.SATISFACTION, ["好", "差"], [], "五级满意度"),
        (QuestionKind.YES_NO, ["是", "不是"], [], "是/否"),
        (QuestionKind.SINGLE, ["唯一"], [], "2 至 12"),
        (QuestionKind.MULTIPLE, ["甲", "甲"], [], "重复"),
        (QuestionKind.TEXT, ["甲"], [], "文字题不设选项"),
        (QuestionKind.SINGLE, ["甲", "乙"], ["丙"], "需说明的选项"),
        ("ranking", ["甲", "乙"], [], "题型无效"),
    ],
)
def test_options_that_do_not_fit_the_kind_are_refused_and_nothing_is_written(
    county: County, kind: str, options: list[str], explain: list[str], message: str
) -> None:
    draft = svc.create_version(actor=county.user("office"), title="试行问卷")
    spec = QuestionSpec(text="题目", kind=kind, options=options, explain_options=explain)
    with pytest.raises(QuestionnaireError, match=message):
        svc.add_question(actor=county.user("office"), questionnaire=draft, spec=spec)
    assert not draft.questions.exists()


def test_a_code_is_unique_within_a_version(county: County) -> None:
    draft = _draft(county)
    with pytest.raises(QuestionnaireError, match="id_shown"):
        svc.add_question(
            actor=county.user("office"), questionnaire=draft, spec=QuestionSpec("再问一次", "yes_no", code="id_shown")
        )


def test_a_draft_question_is_edited_and_removed_with_the_later_ones_renumbered(county: County) -> None:
    draft = _draft(county)
    second = draft.questions.get(number=2)
    spec = QuestionSpec("检查前是否告知检查事项?", "yes_no", code="notified")
    svc.update_question(actor=county.user("supervisor"), question=second, spec=spec)
    second.refresh_from_db()
    assert second.text == "检查前是否告知检查事项?"
    svc.remove_question(actor=county.user("supervisor"), question=draft.questions.get(number=1))
    assert [q.code for q in draft.questions.order_by("number")] == CODES[1:]
    assert list(draft.questions.values_list("number", flat=True).order_by("number")) == list(range(1, 10))


def test_activating_a_draft_retires_the_active_version_and_freezes_both(county: County) -> None:
    old = f.default_questionnaire()
    draft = _draft(county)
    svc.activate(actor=county.user("office"), questionnaire=draft)
    old.refresh_from_db()
    draft.refresh_from_db()
    assert (old.status, draft.status) == (QuestionnaireStatus.RETIRED, QuestionnaireStatus.ACTIVE)
    assert Questionnaire.objects.filter(status=QuestionnaireStatus.ACTIVE).count() == 1
    for frozen in (old, draft):
        with pytest.raises(QuestionnaireError, match="不能修改"):
            svc.add_question(actor=county.user("office"), questionnaire=frozen, spec=QuestionSpec("新题", "text"))
        with pytest.raises(QuestionnaireError, match="不能修改"):
            svc.remove_question(actor=county.user("office"), question=frozen.questions.first())  # type: ignore[arg-type]
    with pytest.raises(QuestionnaireError, match="不是草稿"):
        svc.activate(actor=county.user("office"), questionnaire=old)


def test_an_empty_draft_cannot_be_activated(county: County) -> None:
    draft = svc.create_version(actor=county.user("office"), title="空问卷")
    with pytest.raises(QuestionnaireError, match="至少要有一道题目"):
        svc.activate(actor=county.user("office"), questionnaire=draft)
    draft.refresh_from_db()
    assert draft.status == QuestionnaireStatus.DRAFT


def test_a_version_with_responses_never_changes(county: County) -> None:
    response = f.answered(county)
    questionnaire = response.questionnaire
    Questionnaire.objects.filter(pk=questionnaire.pk).update(status=QuestionnaireStatus.DRAFT)  # even if reopened
    questionnaire.refresh_from_db()
    with pytest.raises(QuestionnaireError, match="已有答卷"):
        svc.update_question(
            actor=county.user("office"),
            question=questionnaire.questions.first(),
            spec=QuestionSpec("改", "text"),  # type: ignore[arg-type]
        )
    assert Question.objects.filter(questionnaire=questionnaire, text="改").count() == 0


def test_ensure_default_questionnaire_is_idempotent(db: None) -> None:
    first = svc.ensure_default_questionnaire()
    assert svc.ensure_default_questionnaire() == first
    assert Questionnaire.objects.filter(status=QuestionnaireStatus.ACTIVE).count() == 1
