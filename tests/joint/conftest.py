from __future__ import annotations

import pytest

from qijian.core.testing import County
from tests.joint.factories import JointSetup, joint_setup


@pytest.fixture
def js(county: County, monkeypatch: pytest.MonkeyPatch) -> JointSetup:
    return joint_setup(county, monkeypatch)
