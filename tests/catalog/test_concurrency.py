"""Two department admins opening a draft at the same moment get one draft and one clear refusal (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from qijian.accounts.models import User
from qijian.catalog.models import CatalogVersion
from qijian.catalog.services import CatalogError, create_version
from qijian.core.testing import build_county, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers by BEGIN IMMEDIATE"),
]

WRITERS = 4


def _open_draft(barrier: threading.Barrier, admin: User, department: Any, outcomes: list[str]) -> None:
    try:
        barrier.wait()
        create_version(actor=admin, department=department)
        outcomes.append("created")
    except CatalogError:
        outcomes.append("refused")
    except Exception as exc:
        outcomes.append(type(exc).__name__)
    finally:
        connections.close_all()


def test_concurrent_drafts_of_one_department_yield_exactly_one() -> None:
    county = build_county()
    admins = [county.user("dept_admin")] + [
        make_user(f"admin{n}", "dept_admin", department=county.dept) for n in range(1, WRITERS)
    ]
    barrier, outcomes = threading.Barrier(WRITERS), []  # type: ignore[var-annotated]
    threads = [threading.Thread(target=_open_draft, args=(barrier, a, county.dept, outcomes)) for a in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created"] + ["refused"] * (WRITERS - 1)
    assert list(CatalogVersion.objects.values_list("number", flat=True)) == [1]
