"""Questionnaires (附件3 沧县涉企执法评价调查问卷), versioned, and the enterprise's one response per follow-up.

A questionnaire is edited as a draft and frozen once active: a response always points to the version
it answered. ``Response`` is bound to a follow-up (one response per inspection of an enterprise) and
is never edited after submission. Who answered what is read by the office and the supervisor only;
the inspected department sees aggregates (queries.py), never a response or an answer row.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qijian.accounts.choices import Role
from qijian.core.models import NOTHING, VIEW, RestrictedManager, TimeStampedModel
from qijian.evaluations.choices import QuestionKind, QuestionnaireStatus, ResponseChannel

_USER = settings.AUTH_USER_MODEL
_READERS = (Role.OFFICE, Role.SUPERVISOR)


class Questionnaire(TimeStampedModel):
    version = models.PositiveIntegerField("版本号", unique=True)
    title = models.CharField("标题", max_length=200)
    status = models.CharField(
        "状态", max_length=16, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT
    )
    activated_at = models.DateTimeField("启用时间", null=True, blank=True)
    created_by = models.ForeignKey(
        _USER, verbose_name="创建人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "调查问卷"
        verbose_name_plural = "调查问卷"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title}(第{self.version}版)"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role in _READERS:
            return Q()
        if user.role == Role.DEPT_ADMIN and action == VIEW:
            return Q()
        return NOTHING


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="问卷", on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveSmallIntegerField("序号")
    text = models.CharField("题目", max_length=300)
    kind = models.CharField("题型", max_length=16, choices=QuestionKind.choices)
    options = models.JSONField("选项", default=list, blank=True)
    explain_options = models.JSONField("需说明的选项", default=list, blank=True)
    required = models.BooleanField("必答", default=True)
    code = models.SlugField("统计代码", max_length=40, blank=True, help_text="跨版本汇总同一问题时使用,如 id_shown")

    class Meta:
        verbose_name = "问卷题目"
        verbose_name_plural = "问卷题目"
        ordering = ["questionnaire", "number"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="evaluations_question_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class Response(models.Model):
    follow_up = models.OneToOneField(
        "evaluations.FollowUp", verbose_name="回访", on_delete=models.PROTECT, related_name="response"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="问卷版本", on_delete=models.PROTECT, related_name="responses"
    )
    channel = models.CharField("填写方式", max_length=16, choices=ResponseChannel.choices)
    submitted_at = models.DateTimeField("提交时间")
    recorded_by = models.ForeignKey(
        _USER, verbose_name="代录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedManager()

    class Meta:
        verbose_name = "问卷答卷"
        verbose_name_plural = "问卷答卷"
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"答卷 {self.pk}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role in _READERS and action == VIEW:
            return Q()
        return NOTHING


class Answer(models.Model):
    response = models.ForeignKey(Response, verbose_name="答卷", on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, verbose_name="题目", on_delete=models.PROTECT, related_name="answers")
    choices = models.JSONField("所选项", default=list, blank=True)
    text = models.TextField("文字", blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = "答案"
        verbose_name_plural = "答案"
        ordering = ["response", "question__number"]
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="evaluations_answer_once")]

    def __str__(self) -> str:
        return f"{self.question.number}: {', '.join(self.choices) or self.text[:20]}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q:
        if user.role in _READERS and action == VIEW:
            return Q()
        return NOTHING
