"""Questionnaire pages (附件3): the office and the supervisor draft, edit and activate versions; department
admins read the questions. No page here shows an answer."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from qijian.accounts.views import roles_required
from qijian.core.models import CHANGE
from qijian.core.views import require_visible, style_form, timeline
from qijian.evaluations.choices import QuestionnaireStatus
from qijian.evaluations.forms_questionnaires import QuestionForm, VersionForm
from qijian.evaluations.models import Question, Questionnaire
from qijian.evaluations.services import questionnaires as services

READERS = ("office", "supervisor", "dept_admin")
EDITORS = ("office", "supervisor")


def _readable(request: HttpRequest) -> None:
    require_visible(Questionnaire, request.user)


def _changeable(request: HttpRequest, pk: int) -> Questionnaire:
    return get_object_or_404(Questionnaire.objects.restrict(request.user, CHANGE), pk=pk)


def _can_edit(request: HttpRequest) -> bool:
    return getattr(request.user, "role", None) in EDITORS


@roles_required(*READERS)
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    _readable(request)
    rows = Questionnaire.objects.restrict(request.user).select_related("created_by").order_by("-version")
    return render(request, "evaluations/questionnaires/list.html", {"rows": list(rows), "can_edit": _can_edit(request)})


@roles_required(*READERS)
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _readable(request)
    questionnaire = get_object_or_404(Questionnaire.objects.restrict(request.user), pk=pk)
    editable = _can_edit(request) and questionnaire.status == QuestionnaireStatus.DRAFT
    context = {
        "questionnaire": questionnaire,
        "questions": list(questionnaire.questions.order_by("number")),
        "can_edit": _can_edit(request),
        "editable": editable,
        "form": style_form(QuestionForm()) if editable else None,
        "events": timeline(questionnaire) if _can_edit(request) else [],
    }
    return render(request, "evaluations/questionnaires/detail.html", context)


@roles_required(*EDITORS)
def questionnaire_new(request: HttpRequest) -> HttpResponse:
    initial = {"copy_from": Questionnaire.objects.filter(status=QuestionnaireStatus.ACTIVE).first()}
    form = style_form(VersionForm(request.POST or None, initial=initial))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_version(actor=request.user, title=data["title"], copy_from=data["copy_from"])
        except services.QuestionnaireError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已新建第{created.version}版(草稿)")
            return redirect("evaluations:questionnaire_detail", pk=created.pk)
    return render(request, "evaluations/questionnaires/new.html", {"form": form})


@roles_required(*EDITORS)
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _changeable(request, pk)
    form = QuestionForm(request.POST or None)
    style_form(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(actor=request.user, questionnaire=questionnaire, spec=form.spec())
        except services.QuestionnaireError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已添加题目")
            return redirect("evaluations:questionnaire_detail", pk=pk)
    context = {"questionnaire": questionnaire, "form": form, "question": None}
    return render(request, "evaluations/questionnaires/question_form.html", context)


def _question(request: HttpRequest, pk: int, question_pk: int) -> Question:
    questionnaire = _changeable(request, pk)
    return get_object_or_404(
        Question.objects.select_related("questionnaire"), questionnaire=questionnaire, pk=question_pk
    )


@roles_required(*EDITORS)
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = _question(request, pk, question_pk)
    form = QuestionForm(request.POST) if request.method == "POST" else QuestionForm.of(question)
    style_form(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(actor=request.user, question=question, spec=form.spec())
        except services.QuestionnaireError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已修改第{question.number}题")
            return redirect("evaluations:questionnaire_detail", pk=pk)
    context = {"questionnaire": question.questionnaire, "form": form, "question": question}
    return render(request, "evaluations/questionnaires/question_form.html", context)


@require_POST
@roles_required(*EDITORS)
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = _question(request, pk, question_pk)
    try:
        services.remove_question(actor=request.user, question=question)
    except services.QuestionnaireError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已删除第{question.number}题")
    return redirect("evaluations:questionnaire_detail", pk=pk)


@require_POST
@roles_required(*EDITORS)
def questionnaire_activate(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = _changeable(request, pk)
    try:
        services.activate(actor=request.user, questionnaire=questionnaire)
    except services.QuestionnaireError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"第{questionnaire.version}版已启用,此后完成的检查使用此版问卷")
    return redirect("evaluations:questionnaire_detail", pk=pk)
