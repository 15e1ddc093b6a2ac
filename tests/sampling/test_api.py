"""Draws API: the coordinator's four steps, the seed hidden until the draw, refusals as 400 with nothing written."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from qijian.sampling.models import Draw
from tests.sampling.factories import Setup, setup_draws


@pytest.fixture
def setup(county, monkeypatch) -> Setup:  # type: ignore[no-untyped-def]
    return setup_draws(county, monkeypatch)


def _client(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_coordinator_prepares_commits_draws_and_publishes_through_the_api(setup: Setup) -> None:
    api = _client(setup.coordinator)
    made = api.post("/api/v1/draws/", {"entries": [setup.entry.pk], "count": 4}, format="json")
    assert made.status_code == 201 and made.json()["pool_size"] == 32 and made.json()["seed"] is None
    pk = made.json()["id"]
    committed = api.post(f"/api/v1/draws/{pk}/commit/").json()
    assert committed["seed_hash"] and committed["seed"] is None
    drawn = api.post(f"/api/v1/draws/{pk}/draw/").json()
    assert drawn["status"] == "drawn" and len(drawn["seed"]) == 64
    assert api.post(f"/api/v1/draws/{pk}/publish/").json()["status"] == "published"
    results = api.get(f"/api/v1/draws/{pk}/results/").json()["results"]
    assert len(results) == 4 and all(len(r["team"]) == 2 for r in results)


def test_refused_step_is_a_400_with_a_chinese_detail(setup: Setup) -> None:
    api = _client(setup.coordinator)
    pk = api.post("/api/v1/draws/", {"entries": [setup.entry.pk], "count": 2}, format="json").json()["id"]
    response = api.post(f"/api/v1/draws/{pk}/draw/")
    assert response.status_code == 400 and "种子哈希" in response.json()["detail"]
    assert Draw.objects.get(pk=pk).status == "prepared"


def test_other_roles_cannot_prepare(setup: Setup) -> None:
    response = _client(setup.county.user("office")).post("/api/v1/draws/", {"entries": [setup.entry.pk]}, format="json")
    assert response.status_code == 403 and not Draw.objects.exists()


def test_other_department_admin_does_not_see_the_draw(setup: Setup) -> None:
    api = _client(setup.coordinator)
    pk = api.post("/api/v1/draws/", {"entries": [setup.entry.pk], "count": 2}, format="json").json()["id"]
    assert _client(setup.county.user("dept_admin")).get(f"/api/v1/draws/{pk}/").status_code == 200
    assert _client(setup.county.user("dept_admin", other=True)).get(f"/api/v1/draws/{pk}/").status_code == 404
