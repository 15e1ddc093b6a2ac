"""Questionnaire services (附件3): versions are drafted, edited, then activated; active and retired ones are frozen.

Only one version is active at a time; activating a draft retires the active one. A version that has
responses can never change (a response always reads the questions it answered).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from qijian.audit.services import record_event
from qijian.evaluations.choices import QuestionKind, QuestionnaireStatus
from qijian.evaluations.models import Question, Questionnaire
from qijian.evaluations.questionnaire_defaults import (
    DEFAULT_QUESTIONS,
    DEFAULT_TITLE,
    SATISFACTION_OPTIONS,
    YES_NO_OPTIONS,
)

MAX_OPTIONS = 12
MAX_OPTION_CHARS = 40
MAX_QUESTIONS = 40


class QuestionnaireError(ValueError):
    """A questionnaire change that is not allowed; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class QuestionSpec:
    """One question as an editor states it (validated and normalised by ``clean_spec``)."""

    text: str
    kind: str
    options: Sequence[str] = ()
    explain_options: Sequence[str] = ()
    required: bool = True
    code: str = ""


# --- validation -------------------------------------------------------------------------------------------


def _clean_options(kind: str, options: Sequence[str]) -> list[str]:
    cleaned = [str(o).strip() for o in options if str(o).strip()]
    if kind == QuestionKind.TEXT:
        if cleaned:
            raise QuestionnaireError("文字题不设选项")
        return []
    if kind == QuestionKind.SATISFACTION:
        if cleaned and cleaned != list(SATISFACTION_OPTIONS):
            raise QuestionnaireError("五级满意度题的选项固定为:" + "/".join(SATISFACTION_OPTIONS))
        return list(SATISFACTION_OPTIONS)
    if kind == QuestionKind.YES_NO:
        if not cleaned:
            return list(YES_NO_OPTIONS)
        if sorted(cleaned) != sorted(YES_NO_OPTIONS):
            raise QuestionnaireError("是/否题的选项只能是“是”和“否”")
        return cleaned
    return _choice_options(cleaned)


def _choice_options(cleaned: list[str]) -> list[str]:
    if not 2 <= len(cleaned) <= MAX_OPTIONS:
        raise QuestionnaireError(f"单选题和多选题需要 2 至 {MAX_OPTIONS} 个选项")
    if len(set(cleaned)) != len(cleaned):
        raise QuestionnaireError("选项不能重复")
    if any(len(o) > MAX_OPTION_CHARS for o in cleaned):
        raise QuestionnaireError(f"每个选项不超过 {MAX_OPTION_CHARS} 个字")
    return cleaned


def clean_spec(spec: QuestionSpec) -> QuestionSpec:
    """The spec with its options normalised per kind, or QuestionnaireError saying what is wrong."""
    text = spec.text.strip()
    if not text:
        raise QuestionnaireError("题目不能为空")
    if len(text) > Question._meta.get_field("text").max_length:  # type: ignore[operator]
        raise QuestionnaireError("题目不超过 300 个字")
    if spec.kind not in QuestionKind.values:
        raise QuestionnaireError("题型无效")
    options = _clean_options(spec.kind, spec.options)
    explain = [str(o).strip() for o in spec.explain_options if str(o).strip()]
    if any(o not in options for o in explain):
        raise QuestionnaireError("需说明的选项必须是该题的选项")
    code = spec.code.strip()
    if code and slugify(code) != code:
        raise QuestionnaireError("统计代码只能由小写字母、数字、下划线和连字符组成")
    return dataclasses.replace(spec, text=text, options=options, explain_options=explain, code=code[:40])


def _require_editable(questionnaire: Questionnaire) -> None:
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        label = questionnaire.get_status_display()
        raise QuestionnaireError(f"第{questionnaire.version}版已{label},不能修改;请新建版本后编辑")
    if questionnaire.responses.exists():
        raise QuestionnaireError(f"第{questionnaire.version}版已有答卷,不能修改")


def _require_unique_code(questionnaire: Questionnaire, code: str, *, exclude: int | None = None) -> None:
    same = questionnaire.questions.filter(code=code)
    if code and (same.exclude(pk=exclude) if exclude is not None else same).exists():
        raise QuestionnaireError(f"本版问卷已有统计代码为 {code} 的题目")


# --- versions ---------------------------------------------------------------------------------------------


def _next_version() -> int:
    return int(Questionnaire.objects.aggregate(top=Max("version"))["top"] or 0) + 1


@transaction.atomic
def create_version(*, actor: Any, title: str = "", copy_from: Questionnaire | None = None) -> Questionnaire:
    """A new draft version, empty or with the questions of ``copy_from``."""
    title = (title or (copy_from.title if copy_from else "")).strip()
    if not title:
        raise QuestionnaireError("请填写问卷标题")
    questionnaire = Questionnaire.objects.create(version=_next_version(), title=title[:200], created_by=_user(actor))
    for question in copy_from.questions.all() if copy_from else []:
        _copy_question(questionnaire, question)
    after = {"version": questionnaire.version, "copied_from": copy_from.version if copy_from else None}
    record_event(actor=actor, action="evaluations.create_questionnaire", target=questionnaire, after=after)
    return questionnaire


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _copy_question(questionnaire: Questionnaire, question: Question) -> None:
    Question.objects.create(
        questionnaire=questionnaire,
        number=question.number,
        text=question.text,
        kind=question.kind,
        options=list(question.options),
        explain_options=list(question.explain_options),
        required=question.required,
        code=question.code,
    )


@transaction.atomic
def activate(*, actor: Any, questionnaire: Questionnaire) -> Questionnaire:
    """Make a draft the one active version; the previously active version is retired (both frozen)."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        raise QuestionnaireError(f"第{questionnaire.version}版不是草稿,不能启用")
    if not questionnaire.questions.exists():
        raise QuestionnaireError("问卷至少要有一道题目才能启用")
    previous = list(Questionnaire.objects.select_for_update().filter(status=QuestionnaireStatus.ACTIVE))
    Questionnaire.objects.filter(pk__in=[p.pk for p in previous]).update(status=QuestionnaireStatus.RETIRED)
    questionnaire.status, questionnaire.activated_at = QuestionnaireStatus.ACTIVE, dt.datetime.now(dt.UTC)
    questionnaire.save(update_fields=["status", "activated_at", "updated_at"])
    after = {"version": questionnaire.version, "retired": [p.version for p in previous]}
    record_event(actor=actor, action="evaluations.activate_questionnaire", target=questionnaire, after=after)
    return questionnaire


# --- questions --------------------------------------------------------------------------------------------


def _fields(spec: QuestionSpec) -> dict[str, Any]:
    return {
        "text": spec.text,
        "kind": spec.kind,
        "options": list(spec.options),
        "explain_options": list(spec.explain_options),
        "required": spec.required,
        "code": spec.code,
    }


@transaction.atomic
def add_question(*, actor: Any, questionnaire: Questionnaire, spec: QuestionSpec) -> Question:
    """Append a question to a draft version."""
    _require_editable(questionnaire)
    spec = clean_spec(spec)
    _require_unique_code(questionnaire, spec.code)
    if questionnaire.questions.count() >= MAX_QUESTIONS:
        raise QuestionnaireError(f"一版问卷至多 {MAX_QUESTIONS} 道题目")
    number = int(questionnaire.questions.aggregate(top=Max("number"))["top"] or 0) + 1
    question = Question.objects.create(questionnaire=questionnaire, number=number, **_fields(spec))
    after = {"version": questionnaire.version, "number": number, "kind": spec.kind, "code": spec.code}
    record_event(actor=actor, action="evaluations.add_question", target=questionnaire, after=after)
    return question


@transaction.atomic
def update_question(*, actor: Any, question: Question, spec: QuestionSpec) -> Question:
    """Change a question of a draft version (its number stays)."""
    _require_editable(question.questionnaire)
    spec = clean_spec(spec)
    _require_unique_code(question.questionnaire, spec.code, exclude=question.pk)
    before = _fields(QuestionSpec(**{k: getattr(question, k) for k in _fields(spec)}))
    for name, value in _fields(spec).items():
        setattr(question, name, value)
    question.save(update_fields=list(_fields(spec)))
    after = {"number": question.number} | _fields(spec)
    record_event(
        actor=actor, action="evaluations.update_question", target=question.questionnaire, before=before, after=after
    )
    return question


@transaction.atomic
def remove_question(*, actor: Any, question: Question) -> None:
    """Delete a question of a draft version; the later ones move up one number."""
    questionnaire = question.questionnaire
    _require_editable(questionnaire)
    number = question.number
    question.delete()
    for later in questionnaire.questions.filter(number__gt=number).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])
    after = {"version": questionnaire.version, "removed_number": number}
    record_event(actor=actor, action="evaluations.remove_question", target=questionnaire, after=after)


# --- the county default -----------------------------------------------------------------------------------


@transaction.atomic
def ensure_default_questionnaire(*, actor: Any = None) -> Questionnaire:
    """The active questionnaire; when none exists at all, version 1 of 附件3 is created and activated
    (migration 0002 does the same in every deployment; this covers a flushed test database)."""
    active = Questionnaire.objects.filter(status=QuestionnaireStatus.ACTIVE).first()
    if active is not None:
        return active
    draft = create_version(actor=actor, title=DEFAULT_TITLE)
    for row in DEFAULT_QUESTIONS:
        add_question(actor=actor, questionnaire=draft, spec=QuestionSpec(**row))
    return activate(actor=actor, questionnaire=draft)
