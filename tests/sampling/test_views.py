"""Draw pages: the coordinator's steps, the public page (一公开), query counts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qijian.core.testing import login_verified
from qijian.sampling import services
from qijian.sampling.models import Draw
from tests.sampling.factories import Setup, drawn, setup_draws


@pytest.fixture
def setup(county, monkeypatch) -> Setup:  # type: ignore[no-untyped-def]
    return setup_draws(county, monkeypatch)


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login_verified(client, user)
    return client


def test_coordinator_walks_prepare_commit_draw_publish_on_the_pages(setup: Setup) -> None:
    web = _as(setup.coordinator)
    response = web.post(reverse("sampling:draw_prepare"), {"entries": [setup.entry.pk], "count": 4})
    draw = Draw.objects.get()
    assert response.status_code == 302 and draw.pool_size == 32
    for step in ("draw_commit", "draw_execute", "draw_publish"):
        assert web.post(reverse(f"sampling:{step}", args=[draw.pk])).status_code == 302
    draw.refresh_from_db()
    assert draw.status == "published"
    page = web.get(reverse("sampling:draw_detail", args=[draw.pk])).content.decode()
    assert draw.seed in page and draw.results.first().enterprise.name in page  # type: ignore[union-attr]


def test_prepare_error_is_shown_and_nothing_written(setup: Setup) -> None:
    web = _as(setup.coordinator)
    response = web.post(reverse("sampling:draw_prepare"), {"entries": [setup.entry.pk], "count": 999})
    assert response.status_code == 200 and "超过100%" in response.content.decode()
    assert not Draw.objects.exists()


def test_public_page_shows_the_seed_hash_but_not_the_seed_before_the_draw(setup: Setup) -> None:
    actor = setup.coordinator
    draw = services.commit_seed(actor=actor, draw=services.prepare_draw(actor=actor, entries=[setup.entry], count=3))
    page = Client().get(reverse("public_draws:detail", args=[draw.pk])).content.decode()
    assert draw.seed_hash in page and draw.seed not in page


def test_public_page_lists_drawn_enterprises_once_published_without_inspector_names(setup: Setup) -> None:
    draw = services.publish_results(actor=setup.coordinator, draw=drawn(setup))
    page = Client().get(reverse("public_draws:detail", args=[draw.pk])).content.decode()
    result = draw.results.first()
    assert result is not None and result.enterprise.uscc in page and draw.seed in page
    assert all(person.name not in page for person in result.team.all())


def test_prepared_draw_is_not_public(setup: Setup) -> None:
    draw = services.prepare_draw(actor=setup.coordinator, entries=[setup.entry], count=3)
    assert Client().get(reverse("public_draws:detail", args=[draw.pk])).status_code == 404


def test_detail_page_query_count_does_not_grow_with_results(setup: Setup, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    draw = services.publish_results(actor=setup.coordinator, draw=drawn(setup, count=8))
    web = _as(setup.county.user("office"))
    with django_assert_max_num_queries(30):
        assert web.get(reverse("sampling:draw_detail", args=[draw.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert Client().get(reverse("public_draws:detail", args=[draw.pk])).status_code == 200


def test_public_page_shows_the_inspection_result_recorded_under_the_entry(setup: Setup) -> None:
    import datetime as dt

    from qijian.checkins.models import CheckIn
    from qijian.inspections.models import Filing

    draw = services.publish_results(actor=setup.coordinator, draw=drawn(setup))
    result = draw.results.order_by("position").first()
    assert result is not None
    start = dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC)
    filing = Filing.objects.create(
        number="BB20270105-0001",
        department=setup.county.dept,
        kind="planned",
        plan_entry=setup.entry,
        item=setup.entry.item,
        window_start=start,
        window_end=start + dt.timedelta(hours=8),
        filed_at=start - dt.timedelta(days=3),
        filed_by=setup.county.user("dept_admin"),
    )  # written directly: filings and check-ins are tested in their own apps
    CheckIn.objects.create(
        idempotency_key="draw-result-1",
        enterprise=result.enterprise,
        filing=filing,
        inspector=setup.county.inspector,
        recorded_by=setup.county.user("inspector"),
        scanned_at=start,
        status="checked_out",
        result="no_problem",
    )
    page = Client().get(reverse("public_draws:detail", args=[draw.pk])).content.decode()
    assert "未发现问题" in page and "检查日期 2027-01-05" in page


def test_grades_of_drawn_enterprises_are_shown_to_grade_readers_only(setup: Setup) -> None:
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    draw = drawn(setup)
    inspector = setup.county.user("inspector")
    url = reverse("sampling:draw_detail", args=[draw.pk])
    assert "<th>分级</th>" in _as(setup.coordinator).get(url).content.decode()
    page = _as(inspector).get(url)
    assert page.status_code == 200 and "<th>分级</th>" not in page.content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=inspector)[0].key}")
    rows = api.get(f"/api/v1/draws/{draw.pk}/results/").json()["results"]
    assert rows and all("grade" not in row for row in rows)
