"""Forms of the questionnaire pages, and the reading of posted answers (public page and phone recording)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict

from qijian.core.calendar import Quarter, local_today
from qijian.evaluations.choices import QuestionKind
from qijian.evaluations.models import Question, Questionnaire
from qijian.evaluations.services.answers import MAX_TEXT_CHARS, RawAnswer
from qijian.evaluations.services.questionnaires import QuestionSpec
from qijian.org.models import Department

MAX_POSTED_OPTIONS = 20  # more choices than any question has are cut, not stored


class VersionForm(forms.Form):
    title = forms.CharField(label="问卷标题", max_length=200)
    copy_from = forms.ModelChoiceField(
        label="复制自", queryset=Questionnaire.objects.none(), required=False, empty_label="不复制(空白问卷)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = Questionnaire.objects.order_by("-version")  # type: ignore[attr-defined]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionForm(forms.Form):
    text = forms.CharField(label="题目", max_length=300)
    kind = forms.ChoiceField(label="题型", choices=QuestionKind.choices)
    options = forms.CharField(
        label="选项(每行一个)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="五级满意度和是/否题可留空,系统自动填入;文字题不设选项。",
    )
    explain_options = forms.CharField(
        label="需说明的选项(每行一个)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="选择这些选项时企业必须填写说明,如“是,请说明”。",
    )
    required = forms.BooleanField(label="必答", required=False, initial=True)
    code = forms.SlugField(label="统计代码", max_length=40, required=False, help_text="跨版本汇总同一问题,如 id_shown")

    @classmethod
    def of(cls, question: Question) -> QuestionForm:
        initial = {
            "text": question.text,
            "kind": question.kind,
            "options": "\n".join(question.options),
            "explain_options": "\n".join(question.explain_options),
            "required": question.required,
            "code": question.code,
        }
        return cls(initial=initial)

    def spec(self) -> QuestionSpec:
        data = self.cleaned_data
        return QuestionSpec(
            text=data["text"],
            kind=data["kind"],
            options=_lines(data["options"]),
            explain_options=_lines(data["explain_options"]),
            required=data["required"],
            code=data["code"],
        )


class AggregateForm(forms.Form):
    quarter = forms.CharField(label="季度", max_length=16, required=False, help_text="如 2026Q3")
    department = forms.ModelChoiceField(
        label="部门", queryset=Department.objects.none(), required=False, empty_label="全部部门"
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments  # type: ignore[attr-defined]

    def clean_quarter(self) -> Quarter:
        text = self.cleaned_data["quarter"].strip()
        if not text:
            return Quarter.of(local_today())
        try:
            return Quarter.parse(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


# --- posted answers -----------------------------------------------------------------------------------------


@dataclass
class AnswerItem:
    """One question of the answer page with what was posted for it and its message."""

    question: Question
    selected: list[str] = field(default_factory=list)
    text: str = ""
    error: str = ""

    @property
    def name(self) -> str:
        return f"q{self.question.number}"

    @property
    def multiple(self) -> bool:
        return self.question.kind == QuestionKind.MULTIPLE

    @property
    def is_text(self) -> bool:
        return self.question.kind == QuestionKind.TEXT

    @property
    def explains(self) -> bool:
        return bool(self.question.explain_options)

    @property
    def max_chars(self) -> int:
        return MAX_TEXT_CHARS


def answer_items(questions: list[Question], post: QueryDict | None = None) -> list[AnswerItem]:
    items = [AnswerItem(question=q) for q in questions]
    for item in items if post is not None else []:
        item.selected = [str(v) for v in post.getlist(item.name)[:MAX_POSTED_OPTIONS]]  # type: ignore[union-attr]
        item.text = str(post.get(f"{item.name}_text", ""))[: MAX_TEXT_CHARS * 2]  # type: ignore[union-attr]
    return items


def raw_answers(items: list[AnswerItem]) -> dict[int, RawAnswer]:
    return {item.question.pk: RawAnswer(choices=tuple(item.selected), text=item.text) for item in items}


def mark_errors(items: list[AnswerItem], errors: dict[int, str]) -> None:
    for item in items:
        item.error = errors.get(item.question.number, "")
