from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from qijian.core.testing import County, build_county
from tests.smtp import Inbox, running_smtp


@pytest.fixture
def county(db: None) -> County:
    return build_county()


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) that Django sends to; tasks run immediately (tests/smtp.py)."""
    yield from running_smtp(settings)
