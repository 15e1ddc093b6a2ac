"""API write cases of the questionnaires endpoints (merged into tests/api/write_cases.py).

The questionnaire API is read only (versions are edited on the pages; answers come through the signed
link or the supervisor's recording page), so there are no write cases; ``populate`` gives the retrieves
one questionnaire and one response.
"""

from __future__ import annotations

from typing import Any

import pytest

from qijian.core.testing import County

Case = tuple[int | None, dict[str, Any]]

# (method, path) → Write(role, build); see tests/api/write_cases.py.
WRITES: dict[tuple[str, str], Any] = {}


def populate(county: County, mp: pytest.MonkeyPatch) -> dict[str, int]:
    """One object of each resource of this module (API basename path segment → id), for retrieves."""
    from tests.evaluations import answer_factories as f

    response = f.answered(county, of=f.enterprise(county, "沧县接口答卷公司"), suggestions="接口测试意见")
    return {"questionnaires": response.questionnaire_id, "questionnaire-responses": response.pk}
