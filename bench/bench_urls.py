"""URLs of the benchmark server: every product URL, plus ``/bench/bare/`` (bench/settings_bench.py only).

The bare endpoint goes through the same middleware stack as the product and inserts one row into
``bench_bare`` (created by bench/bench_checkins.py with raw SQL): no authentication, no CSRF, no audit —
the floor a Django request that writes one row costs on this server."""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from qijian.urls import urlpatterns as product_urls


@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    """GET: 200 (readiness probe, no write). POST {"key": ...}: insert one row, 201 with its id."""
    if request.method != "POST":
        return JsonResponse({"ok": True})
    key = str(json.loads(request.body or b"{}").get("key", ""))[:64]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare (key) VALUES (%s) RETURNING id", [key])
        row_id = cursor.fetchone()[0]  # type: ignore[index]
    return JsonResponse({"id": row_id, "key": key}, status=201)


urlpatterns = [path("bench/bare/", bare), *product_urls]
