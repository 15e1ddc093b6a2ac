"""Anonymity (issue 7 item 3): the inspected department's users — its admin and its inspectors, and those of
another department — reach no identified answer through any page or API route of the evaluations app
(follow-ups, questionnaires, answers, complaints, the summary) or of referrals.

Every such route is walked with GET, its path parameters filled with every id of the evaluation objects
(and the answer links). A page a department user may open must not contain an answering enterprise's
name or any free text it wrote; every route naming one object gives 403/404, except the questionnaire
itself (its questions, no answers).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from qijian.core.testing import County, login_verified
from qijian.evaluations.models import Answer, Complaint, FollowUp, Question, Questionnaire, Response
from qijian.evaluations.queries.answers import answer_token
from tests.evaluations import answer_factories as f

NAMES = ("匿名测试甲企业", "匿名测试乙企业", "匿名测试丙企业")
TEXTS = ("秘密意见一:检查人员索要茶叶", "秘密意见二:希望合并检查", "秘密说明三:同月被检查三次")
DEPARTMENT_ROLES = ("dept_admin", "inspector")
# Routes naming one object that a department admin may open: the questionnaire's questions, no answers.
READABLE_OBJECTS = {"evaluations:questionnaire_detail", "api:questionnaire-detail"}
EVALUATION_MODULES = ("qijian.evaluations", "qijian.oversight.referral")


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[str, ...]


def _walk(patterns: list[Any], namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from _walk(pattern.url_patterns, ns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name, prefix + str(pattern.pattern), pattern


def _is_evaluation(name: str, text: str, pattern: URLPattern) -> bool:
    if name.startswith(("evaluations:", "evaluations_public:")) or text.startswith("oversight/referrals/"):
        return True
    cls = getattr(pattern.callback, "cls", None)
    return name.startswith("api:") and cls is not None and cls.__module__.startswith(EVALUATION_MODULES)


def evaluation_routes() -> list[Route]:
    found = {
        name: Route(name, tuple(pattern.pattern.regex.groupindex))
        for name, text, pattern in _walk(get_resolver().url_patterns)
        if _is_evaluation(name, text, pattern)
    }
    return sorted(found.values(), key=lambda r: r.name)


def test_the_walk_covers_the_answer_routes() -> None:
    names = {r.name for r in evaluation_routes()}
    expected = {
        "evaluations:response_list",
        "evaluations:response_detail",
        "evaluations:answer_aggregates",
        "evaluations_public:answer",
        "api:questionnaireresponse-list",
        "api:questionnaireresponse-detail",
        "api:questionnaire-aggregates",
    }
    assert expected <= names


@pytest.fixture
def answered(county: County) -> list[Response]:
    """Three enterprises of the first department answered, with free text (one also a problem clue)."""
    firms = [f.enterprise(county, name) for name in NAMES]
    return [
        f.answered(county, of=firms[0], improper_requests=(["是"], TEXTS[0])),
        f.answered(county, of=firms[1], suggestions=TEXTS[1]),
        f.answered(county, of=firms[2], repeated=(["是"], TEXTS[2])),
    ]


def _ids() -> list[int]:
    models = (Response, FollowUp, Questionnaire, Question, Answer, Complaint)
    return sorted({pk for model in models for pk in model.objects.values_list("pk", flat=True)})


def _urls(route: Route, ids: list[int], tokens: list[str]) -> Iterator[str]:
    if not route.params:
        yield reverse(route.name)
        return
    choices = [
        tokens if "token" in p else [str(i) for i in (ids if n == 0 else ids[:8])] for n, p in enumerate(route.params)
    ]
    for values in itertools.product(*choices):
        yield reverse(route.name, kwargs=dict(zip(route.params, values, strict=True)))


def _body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", errors="replace")


def _problems(route: Route, url: str, response: Any) -> list[str]:
    status = response.status_code
    if status >= 500:
        return [f"{url}: server error {status}"]
    if route.params and route.name not in READABLE_OBJECTS and "token" not in route.params[0]:
        return [] if status in (403, 404, 405) else [f"{url}: {status}, expected 403/404"]
    body = _body(response) if status == 200 else ""
    return [f"{url}: shows {secret!r}" for secret in NAMES + TEXTS if secret in body]


@pytest.mark.parametrize("role", DEPARTMENT_ROLES)
@pytest.mark.parametrize("other", [False, True], ids=["own-department", "other-department"])
def test_department_users_reach_no_identified_answer_by_any_page_or_api_route(
    county: County, answered: list[Response], role: str, other: bool, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    f.answers_in(monkeypatch)  # the quarter is closed: the department's pages show its figures
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = Client(raise_request_exception=False)
    login_verified(client, county.user(role, other=other))
    ids, tokens = _ids(), [answer_token(r.follow_up) for r in answered] + [answer_token(f.follow_up(county))]
    problems: list[str] = []
    for route in evaluation_routes():
        for url in _urls(route, ids, tokens):
            problems += _problems(route, url, client.get(url))
    assert not problems, "\n".join(problems)


def test_the_department_admin_does_see_its_aggregates(
    county: County, answered: list[Response], monkeypatch: pytest.MonkeyPatch
) -> None:
    f.answers_in(monkeypatch)
    client = Client()
    login_verified(client, county.user("dept_admin"))
    page = _body(client.get(reverse("evaluations:answer_aggregates")))
    assert "本季度答卷 3 份" in page
    api = client.get(reverse("api:questionnaire-aggregates")).json()
    assert api["responses"] == 3 and api["departments"] == [county.dept.pk]
    refused = client.get(reverse("api:questionnaire-aggregates"), {"department": county.other_dept.pk})
    assert refused.status_code == 403


def test_the_walk_would_catch_a_leak_the_office_who_may_read_answers_trips_it(
    county: County, answered: list[Response]
) -> None:
    client = Client(raise_request_exception=False)
    login_verified(client, county.user("office"))
    ids, tokens = _ids(), [answer_token(answered[0].follow_up)]
    problems = [
        p
        for route in evaluation_routes()
        for url in _urls(route, ids, tokens)
        for p in _problems(route, url, client.get(url))
    ]
    assert any(NAMES[0] in p for p in problems) and any(TEXTS[1] in p for p in problems)
