"""The answer page under /e/ (no login), the follow-up panel, the response pages and the phone recording."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qijian.checkins import codes
from qijian.core.calendar import Quarter, local_today
from qijian.core.testing import County, login_verified
from qijian.evaluations.models import FollowUp, Response
from qijian.evaluations.queries import answers as queries
from tests.evaluations import answer_factories as f


def _client(county: County, role: str, *, other: bool = False) -> Client:
    client = Client()
    login_verified(client, county.user(role, other=other))
    return client


def _url(follow_up: FollowUp) -> str:
    return reverse("evaluations_public:answer", kwargs={"token": queries.answer_token(follow_up)})


def _post(follow_up: FollowUp, **by_code: Any) -> dict[str, Any]:
    """The form body of a full set of answers (the good ones unless ``by_code`` says otherwise)."""
    body: dict[str, Any] = {}
    for question in queries.questions_of(queries.questionnaire_for(follow_up)):  # type: ignore[arg-type]
        raw = f.answers(follow_up, **by_code)[question.pk]
        body[f"q{question.number}"] = list(raw.choices)
        body[f"q{question.number}_text"] = raw.text
    return body


def test_the_page_shows_department_time_and_questions_without_login(county: County) -> None:
    follow_up = f.follow_up(county)
    response = Client().get(_url(follow_up))
    text = response.content.decode()
    assert response.status_code == 200
    assert county.dept.name in text and "执法人员是否主动出示执法证件?" in text and "总体满意度" in text
    assert county.enterprise.name not in text


def test_submitting_stores_one_response_then_the_link_says_it_was_submitted(county: County) -> None:
    follow_up = f.follow_up(county)
    client = Client()
    response = client.post(_url(follow_up), _post(follow_up, suggestions="无"))
    assert response.status_code == 200 and "感谢您的评价" in response.content.decode()
    assert Response.objects.filter(follow_up=follow_up).count() == 1
    again = client.post(_url(follow_up), _post(follow_up, satisfaction=["非常不满意"]))
    assert again.status_code == 409 and "已经提交" in again.content.decode()
    assert "已经提交" in client.get(_url(follow_up)).content.decode()
    assert Response.objects.get(follow_up=follow_up).answers.get(question__code="satisfaction").choices == ["非常满意"]


def test_missing_answers_are_shown_per_question_and_what_was_chosen_is_kept(county: County) -> None:
    follow_up = f.follow_up(county)
    body = _post(follow_up, improper_requests=["是"])
    body.pop("q1")
    response = Client().post(_url(follow_up), body)
    text = response.content.decode()
    assert response.status_code == 400
    assert "请选择一项" in text and "选择“是”时请说明具体情况" in text and "有 2 道题需要修改" in text
    assert 'value="一致" checked' in text
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("mangle", "status", "message"),
    [
        (lambda t: t[:-3] + ("AAA" if not t.endswith("AAA") else "BBB"), 400, "篡改或伪造"),
        (lambda t: t.replace("QJ1.Q.", "QJ1.Q.9"), 400, "篡改或伪造"),
        (lambda t: "garbage", 400, "格式不正确"),
    ],
)
def test_a_forged_or_altered_link_is_refused(county: County, mangle: Any, status: int, message: str) -> None:
    follow_up = f.follow_up(county)
    token = mangle(queries.answer_token(follow_up))
    response = Client().get(reverse("evaluations_public:answer", kwargs={"token": token}))
    assert response.status_code == status and message in response.content.decode()


def test_an_expired_link_is_refused_with_410_and_nothing_is_written(county: County) -> None:
    follow_up = f.follow_up(county)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
    FollowUp.objects.filter(pk=follow_up.pk).update(created_at=past)
    follow_up.refresh_from_db()
    response = Client().post(_url(follow_up), _post(follow_up))
    assert response.status_code == 410 and "过期" in response.content.decode()
    assert not Response.objects.exists()


def test_an_inspection_code_is_not_an_answer_link(county: County) -> None:
    follow_up = f.follow_up(county)
    token = codes.sign(codes.ENTERPRISE, follow_up.pk, dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    response = Client().get(reverse("evaluations_public:answer", kwargs={"token": token}))
    assert response.status_code == 400 and "问卷码" in response.content.decode()


def test_a_signed_in_enterprise_cannot_open_another_enterprises_link(county: County) -> None:
    follow_up = f.follow_up(county)
    response = _client(county, "enterprise", other=True).post(_url(follow_up), _post(follow_up))
    assert response.status_code == 403 and "只能由被检查企业填写" in response.content.decode()
    assert not Response.objects.exists()
    assert _client(county, "enterprise").get(_url(follow_up)).status_code == 200


@pytest.mark.parametrize("role", ["inspector", "dept_admin", "office"])
def test_a_signed_in_staff_member_cannot_answer_in_the_enterprises_name(county: County, role: str) -> None:
    follow_up = f.follow_up(county)
    response = _client(county, role).post(_url(follow_up), _post(follow_up))
    assert response.status_code == 403 and "只能由被检查企业填写" in response.content.decode()
    assert not Response.objects.exists()


def test_a_nul_character_in_a_text_answer_is_refused_with_a_message(county: County) -> None:
    follow_up = f.follow_up(county)
    body = _post(follow_up)
    body["q10_text"] = "好\x00"
    response = Client().post(_url(follow_up), body)
    assert response.status_code == 400 and "文字含有无效字符" in response.content.decode()
    assert not Response.objects.exists()


def test_a_department_cannot_read_a_quarter_whose_answers_are_still_coming_in(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("沧县丙公司", "沧县丁公司", "沧县戊公司"):
        f.answered(county, of=f.enterprise(county, name))
    current = Quarter.of(local_today())
    client = _client(county, "dept_admin")
    page = client.get(reverse("evaluations:answer_aggregates"), {"quarter": current.code}).content.decode()
    assert "仍在收集中" in page and "本季度答卷 3 份" not in page
    api = client.get(reverse("api:questionnaire-aggregates"), {"quarter": current.code})
    assert api.status_code == 400 and "仍在收集中" in str(api.json())
    summary = client.get(reverse("evaluations:summary"), {"quarter": current.code})
    assert summary.status_code == 400 and "仍在收集中" in summary.content.decode()
    f.answers_in(monkeypatch)
    assert "本季度答卷 3 份" in client.get(reverse("evaluations:answer_aggregates")).content.decode()


def test_an_answer_link_opened_under_c_goes_to_the_questionnaire(county: County) -> None:
    follow_up = f.follow_up(county)
    token = queries.answer_token(follow_up)
    response = Client().get(reverse("public_code:show", kwargs={"token": token}))
    assert response.status_code == 302 and response["Location"] == _url(follow_up)


def test_the_panel_shows_the_link_and_qr_then_the_answers_to_office_and_supervisor_only(county: County) -> None:
    from django.template.loader import render_to_string

    follow_up = f.follow_up(county)
    panel = queries.answer_panel(county.user("supervisor"), follow_up)
    html = render_to_string("evaluations/answers/_follow_up_panel.html", panel)
    assert queries.answer_token(follow_up) in html and "data:image/svg+xml;base64," in html
    assert queries.answer_panel(county.user("dept_admin"), follow_up) == {}
    f.answers(follow_up)
    from qijian.evaluations.services.answers import submit_answers

    submit_answers(actor=None, follow_up=follow_up, answers=f.answers(follow_up, suggestions="建议合并检查"))
    html = render_to_string(
        "evaluations/answers/_follow_up_panel.html", queries.answer_panel(county.user("office"), follow_up)
    )
    assert "建议合并检查" in html and "代录" not in html


def test_response_list_and_detail_name_the_enterprise_in_a_fixed_number_of_queries(
    county: County, django_assert_max_num_queries: Any
) -> None:
    for n in range(4):
        f.answered(county, of=f.enterprise(county, f"沧县答卷{n}公司"), suggestions=f"意见{n}")
    client = _client(county, "office")
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("evaluations:response_list"))
    assert "沧县答卷3公司" in listing.content.decode()
    response = Response.objects.order_by("pk").first()
    assert response is not None
    with django_assert_max_num_queries(12):
        detail = client.get(reverse("evaluations:response_detail", args=[response.pk]))
    assert "意见0" in detail.content.decode()


def test_the_supervisor_records_phone_answers_on_its_page(county: County) -> None:
    follow_up = f.follow_up(county)
    client = _client(county, "supervisor")
    url = reverse("evaluations:record_answers", args=[follow_up.pk])
    assert county.enterprise.name in client.get(url).content.decode()
    response = client.post(url, _post(follow_up, satisfaction=["基本满意"]))
    stored = Response.objects.get(follow_up=follow_up)
    assert response.status_code == 302 and stored.recorded_by == county.user("supervisor")
    again = client.get(url)  # answered: the page sends to the response instead of a second form
    assert again.status_code == 302 and again["Location"] == reverse("evaluations:response_detail", args=[stored.pk])
    assert _client(county, "dept_admin").get(url).status_code == 403


def test_the_aggregates_page_of_a_department_admin_shows_its_own_figures_only(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    f.answers_in(monkeypatch)
    f.answered(county, of=county.enterprise, suggestions="甲的文字意见")
    f.answered(county, of=f.enterprise(county, "沧县丙公司"))
    f.answered(county, of=f.enterprise(county, "沧县丁公司"), satisfaction=["不满意"])
    page = _client(county, "dept_admin").get(reverse("evaluations:answer_aggregates")).content.decode()
    assert "本季度答卷 3 份" in page and "平均得分" in page
    for secret in ("甲的文字意见", county.enterprise.name, "沧县丙公司"):
        assert secret not in page
    other = _client(county, "dept_admin", other=True).get(reverse("evaluations:answer_aggregates")).content.decode()
    assert "本季度答卷 3 份" not in other
    office = _client(county, "office").get(reverse("evaluations:answer_aggregates"), {"quarter": "bad"})
    assert office.status_code == 200 and "无法识别的季度" in office.content.decode()
