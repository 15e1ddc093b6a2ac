"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

The tests use a transactional database (the live server runs in another thread). On SQLite the test
database is in memory, and pytest-django's live server shares that one connection with its thread,
so the same tests run unchanged in the SQLite and the PostgreSQL pass. The database is only touched
before the browser starts: Playwright's sync API runs an event loop, inside which Django refuses ORM
calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright (runs on every database)")


@pytest.fixture
def browser() -> Iterator[Browser]:
    """A headless Chromium for one test; closed (with its event loop) before the database is flushed."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; the sign-in path is the same with any hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
