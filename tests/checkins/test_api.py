"""The check-in API: create with an idempotency key (201, then 200 on replay), refusals, check-out,
attachments (multipart and base64) and scoped reads."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from qijian.checkins import codes
from qijian.checkins.api import CheckInBody, CheckInSerializer, CheckInViewSet, render_checkin
from qijian.checkins.models import CheckIn
from qijian.core.calendar import local_today
from qijian.core.testing import County
from qijian.oversight.models import Alert
from tests.checkins.visits import Visit, build_visit

URL = "/api/v1/checkins/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
# The people; the enterprise with its filings; the row with its companions (PostgreSQL: also the audit
# chain's lock and head; SQLite: the companions, then the head, apart); the audit event; a savepoint and
# its release.
CHECKIN_QUERIES = 6 if connection.vendor == "postgresql" else 8


@pytest.fixture
def visit(county: County, tmp_path: Any, settings: Any) -> Visit:
    settings.MEDIA_ROOT = str(tmp_path)
    return build_visit(county)


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(visit: Visit, **extra: Any) -> dict[str, Any]:
    token = codes.issue_enterprise_code(visit.county.enterprise)
    return {"enterprise_code": token, "companions": [visit.colleague.certificate_no]} | extra


def test_create_is_201_then_200_with_the_same_record_on_replay(visit: Visit) -> None:
    client = client_for(visit.inspector_user)
    first = client.post(URL, body(visit), format="json", HTTP_IDEMPOTENCY_KEY="phone-1")
    again = client.post(URL, body(visit, latitude="1.5"), format="json", HTTP_IDEMPOTENCY_KEY="phone-1")
    assert first.status_code == 201, first.json()
    assert again.status_code == 200 and again.json() == first.json()
    assert first.json()["filing_number"] == "BB1" and first.json()["latitude"] is None
    assert CheckIn.objects.count() == 1


def test_a_checkin_costs_a_fixed_number_of_queries(visit: Visit, django_assert_max_num_queries: Any) -> None:
    """No key lookup, no read-back (CHECKIN_QUERIES)."""
    client, payload = client_for(visit.inspector_user), body(visit, latitude="38.2", longitude="116.8")
    client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="warm-up")
    with django_assert_max_num_queries(CHECKIN_QUERIES):
        response = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="counted")
    assert response.status_code == 201 and response.json()["companions"][0]["id"] == visit.colleague.pk


def test_the_created_record_reads_as_the_stored_one(visit: Visit) -> None:
    client = client_for(visit.inspector_user)
    created = client.post(URL, body(visit, latitude="38.2"), format="json", HTTP_IDEMPOTENCY_KEY="phone-2").json()
    assert client.get(f"{URL}{created['id']}/").json() == created


def test_the_written_out_render_is_the_serializers(visit: Visit) -> None:
    """render_checkin against CheckInSerializer: a bare check-in, an unfiled one, and one with every field
    filled (client time, location, checked out with problems and a deadline, two attachments)."""
    client = client_for(visit.inspector_user)
    bare = client.post(URL, body(visit), format="json", HTTP_IDEMPOTENCY_KEY="render-1").json()["id"]
    unfiled = {"enterprise": visit.county.other_enterprise.pk, "companions": [visit.colleague.certificate_no]}
    lone = client.post(URL, unfiled, format="json", HTTP_IDEMPOTENCY_KEY="render-2").json()["id"]
    full = body(visit, latitude="38.123456", longitude="-116.8", accuracy_m=12, source="offline")
    full["client_time"] = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=3)).isoformat()
    rich = client.post(URL, full, format="json", HTTP_IDEMPOTENCY_KEY="render-3").json()["id"]
    for name in ("a.png", "b.png"):
        client.post(f"{URL}{rich}/attachments/", {"file": SimpleUploadedFile(name, PNG)}, format="multipart")
    deadline = (local_today() + dt.timedelta(days=7)).isoformat()
    result = {"result": "problems", "rectification_deadline": deadline, "note": "限期整改"}
    assert client.post(f"{URL}{rich}/checkout/", result, format="json").status_code == 200
    rows = CheckInViewSet().tune_queryset(CheckIn.objects.filter(pk__in=[bare, lone, rich])).order_by("pk")
    for row in rows:
        assert json.dumps(render_checkin(row)) == json.dumps(CheckInSerializer(row).data)
    assert len(render_checkin(rows[2])["attachments"]) == 2 and render_checkin(rows[1])["filing"] is None


def test_key_may_come_in_the_body(visit: Visit) -> None:
    response = client_for(visit.inspector_user).post(URL, body(visit, idempotency_key="body-1"), format="json")
    assert response.status_code == 201 and response.json()["idempotency_key"] == "body-1"


def test_missing_key_is_400_in_chinese(visit: Visit) -> None:
    response = client_for(visit.inspector_user).post(URL, body(visit), format="json")
    assert response.status_code == 400 and "幂等键" in response.json()["detail"]


@pytest.mark.parametrize("payload", [{"latitude": "91", "companions": "x"}, {}, ["not", "an", "object"]])
def test_an_invalid_body_is_400_as_drf_words_it_and_writes_nothing(visit: Visit, payload: Any) -> None:
    response = client_for(visit.inspector_user).post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="bad-1")
    expected = CheckInBody(data=payload)
    assert not expected.is_valid()
    assert response.status_code == 400 and response.json() == json.loads(json.dumps(expected.errors))
    again = client_for(visit.inspector_user).post(URL, body(visit), format="json", HTTP_IDEMPOTENCY_KEY="good-1")
    assert again.status_code == 201 and CheckIn.objects.count() == 1  # the shared validator kept nothing


def test_forged_code_is_400_and_writes_nothing(visit: Visit) -> None:
    response = client_for(visit.inspector_user).post(
        URL, body(visit, enterprise_code="QJ1.E.1.99999999999.k1.forged"), format="json", HTTP_IDEMPOTENCY_KEY="x"
    )
    assert response.status_code == 400 and response.json()["detail"]
    assert not CheckIn.objects.exists()


def test_unfiled_entry_is_201_with_an_alert(visit: Visit) -> None:
    data = {"enterprise": visit.county.other_enterprise.pk, "companions": [visit.colleague.certificate_no]}
    response = client_for(visit.inspector_user).post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="u-1")
    assert response.status_code == 201 and response.json()["unfiled"] is True
    assert Alert.objects.filter(rule="R01", dedup_key=f"R01:checkin:{response.json()['id']}").exists()


def test_office_cannot_create(visit: Visit) -> None:
    response = client_for(visit.county.user("office")).post(URL, body(visit), format="json", HTTP_IDEMPOTENCY_KEY="o")
    assert response.status_code == 403


def test_checkout_and_result(visit: Visit) -> None:
    client = client_for(visit.inspector_user)
    pk = client.post(URL, body(visit), format="json", HTTP_IDEMPOTENCY_KEY="c-1").json()["id"]
    deadline = (local_today() + dt.timedelta(days=10)).isoformat()
    data = {"result": "problems", "rectification_deadline": deadline, "note": "限期整改"}
    response = client_for(visit.colleague_user).post(f"{URL}{pk}/checkout/", data, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "checked_out" and response.json()["rectification_deadline"] == deadline
    missing = client.post(f"{URL}{pk}/checkout/", {"result": "no_problem"}, format="json")
    assert missing.status_code == 400 and "已登记离开" in missing.json()["detail"]


def test_other_inspector_gets_404_on_checkout(visit: Visit) -> None:
    pk = client_for(visit.inspector_user).post(URL, body(visit), format="json", HTTP_IDEMPOTENCY_KEY="c-2").json()["id"]
    other = client_for(visit.county.user("inspector", other=True))
    assert other.post(f"{URL}{pk}/checkout/", {"result": "no_problem"}, format="json").status_code == 404


def test_attachment_multipart_and_base64(visit: Visit) -> None:
    client = client_for(visit.inspector_user)
    pk = client.post(URL, body(visit), format="json", HTTP_IDEMPOTENCY_KEY="a-1").json()["id"]
    multipart = client.post(f"{URL}{pk}/attachments/", {"file": SimpleUploadedFile("p.png", PNG)}, format="multipart")
    assert multipart.status_code == 201 and multipart.json()["content_type"] == "image/png"
    encoded = {"name": "q.png", "content_base64": base64.b64encode(PNG).decode()}
    assert client.post(f"{URL}{pk}/attachments/", encoded, format="json").status_code == 201
    bad = client.post(f"{URL}{pk}/attachments/", {"name": "x.png", "content_base64": "bm90IGFuIGltYWdl"}, format="json")
    assert bad.status_code == 400 and "类型" in bad.json()["detail"]
    detail = client.get(f"{URL}{pk}/").json()
    assert len(detail["attachments"]) == 2


def test_reads_are_scoped(visit: Visit) -> None:
    client_for(visit.inspector_user).post(URL, body(visit), format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert len(client_for(visit.county.user("office")).get(URL).json()["results"]) == 1
    assert len(client_for(visit.county.user("dept_admin")).get(URL).json()["results"]) == 1
    assert len(client_for(visit.colleague_user).get(URL).json()["results"]) == 1  # a companion
    assert client_for(visit.county.user("dept_admin", other=True)).get(URL).json()["results"] == []
    assert client_for(visit.county.user("inspector", other=True)).get(URL).json()["results"] == []
    assert client_for(visit.county.user("enterprise")).get(URL).status_code == 403


def test_batch_stores_replays_and_refuses_each_item(visit: Visit) -> None:
    client = client_for(visit.inspector_user)
    client.post(URL, body(visit), format="json", HTTP_IDEMPOTENCY_KEY="q-0")
    items = [
        body(visit, idempotency_key="q-0"),
        body(visit, idempotency_key="q-1", source="offline", client_time="2026-01-01T09:00:00+08:00"),
        body(visit, idempotency_key="q-2", enterprise_code="forged"),
    ]
    response = client.post(f"{URL}batch/", {"items": items}, format="json")
    assert response.status_code == 200, response.json()
    outcomes = response.json()
    assert [o["outcome"] for o in outcomes] == ["replayed", "created", "refused"]
    assert outcomes[1]["checkin"]["source"] == "offline" and outcomes[2]["detail"] and outcomes[2]["checkin"] is None
    assert CheckIn.objects.count() == 2


def test_batch_items_need_a_key(visit: Visit) -> None:
    response = client_for(visit.inspector_user).post(f"{URL}batch/", {"items": [body(visit)]}, format="json")
    assert response.status_code == 400
