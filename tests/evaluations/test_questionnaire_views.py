"""Questionnaire pages: the office and the supervisor draft, edit and activate; department admins only read."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from qijian.core.testing import County, login_verified
from qijian.evaluations.choices import QuestionnaireStatus
from qijian.evaluations.models import Questionnaire
from qijian.evaluations.services import questionnaires as qsvc
from tests.evaluations import answer_factories as f


def _client(county: County, role: str) -> Client:
    client = Client()
    login_verified(client, county.user(role))
    return client


def test_the_list_shows_every_version_in_a_fixed_number_of_queries(
    county: County, django_assert_max_num_queries: Any
) -> None:
    active = f.default_questionnaire()
    for n in range(3):
        qsvc.create_version(actor=county.user("office"), title=f"草稿{n}", copy_from=active)
    client = _client(county, "supervisor")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("evaluations:questionnaire_list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "草稿2" in text and "新建版本" in text


def test_a_department_admin_reads_the_questions_but_cannot_edit(county: County) -> None:
    active = f.default_questionnaire()
    client = _client(county, "dept_admin")
    page = client.get(reverse("evaluations:questionnaire_detail", args=[active.pk])).content.decode()
    assert "执法人员是否主动出示执法证件?" in page and "新建版本" not in page
    assert client.get(reverse("evaluations:questionnaire_new")).status_code == 403
    assert client.post(reverse("evaluations:questionnaire_activate", args=[active.pk])).status_code == 403


def test_inspectors_and_enterprises_have_no_questionnaire_pages(county: County) -> None:
    for role in ("inspector", "enterprise"):
        assert _client(county, role).get(reverse("evaluations:questionnaire_list")).status_code == 403


def test_the_supervisor_copies_edits_and_activates_a_new_version(county: County) -> None:
    active = f.default_questionnaire()
    client = _client(county, "supervisor")
    response = client.post(reverse("evaluations:questionnaire_new"), {"title": "2027年版", "copy_from": active.pk})
    draft = Questionnaire.objects.get(title="2027年版")
    assert response.status_code == 302 and draft.questions.count() == 10
    add = reverse("evaluations:question_add", args=[draft.pk])
    body = {"text": "您希望的回访方式", "kind": "multiple", "options": "电话\n上门\n线上", "required": "on"}
    assert client.post(add, body).status_code == 302
    added = draft.questions.get(number=11)
    assert added.options == ["电话", "上门", "线上"]
    edit = reverse("evaluations:question_edit", args=[draft.pk, added.pk])
    assert client.post(edit, body | {"options": "电话\n上门"}).status_code == 302
    added.refresh_from_db()
    assert added.options == ["电话", "上门"]
    client.post(reverse("evaluations:questionnaire_activate", args=[draft.pk]))
    draft.refresh_from_db()
    active.refresh_from_db()
    assert (draft.status, active.status) == (QuestionnaireStatus.ACTIVE, QuestionnaireStatus.RETIRED)


def test_a_bad_question_is_shown_with_its_message_and_nothing_is_added(county: County) -> None:
    draft = qsvc.create_version(actor=county.user("office"), title="草稿")
    client = _client(county, "office")
    body = {"text": "满意吗", "kind": "single", "options": "满意"}
    response = client.post(reverse("evaluations:question_add", args=[draft.pk]), body)
    assert response.status_code == 200 and "需要 2 至 12 个选项" in response.content.decode()
    assert not draft.questions.exists()


def test_an_active_version_cannot_be_edited_through_its_pages(county: County) -> None:
    active = f.default_questionnaire()
    question = active.questions.get(number=1)
    client = _client(county, "office")
    body = {"text": "改过的题目", "kind": "yes_no"}
    response = client.post(reverse("evaluations:question_edit", args=[active.pk, question.pk]), body)
    assert "不能修改" in response.content.decode()
    client.post(reverse("evaluations:question_delete", args=[active.pk, question.pk]))
    question.refresh_from_db()
    assert question.text == "执法人员是否主动出示执法证件?"
    page = client.get(reverse("evaluations:questionnaire_detail", args=[active.pk])).content.decode()
    assert "内容已冻结" in page and "添加题目" not in page
