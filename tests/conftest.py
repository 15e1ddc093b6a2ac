from __future__ import annotations

import pytest

from qijian.core.testing import County, build_county


@pytest.fixture
def county(db: None) -> County:
    return build_county()
