"""Access-matrix rows of the quarterly evaluation summary (docs/evaluation-summary.md).

The office and the supervisor read the county packet and download it; a department admin reads its
own department's row only (the first department's name must not reach the other department's admin)
and downloads nothing; every other role is refused. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt

from qijian.core.testing import County
from qijian.evaluations.queries.summary import last_quarter
from tests.access_rules_base import Rule, api, page, roles
from tests.evaluations import summary_factories

READERS = roles("office", "supervisor", "dept_admin")
PACKET = roles("office", "supervisor")
DEPT = roles("dept_admin")


def _marker(county: County) -> str:
    return county.dept.name


TABLE: dict[str, Rule] = {
    "evaluations:summary": page(READERS, scoped=DEPT, marker=_marker),
    "evaluations:summary_xlsx": page(PACKET),
    "evaluations:summary_pdf": page(PACKET),
    "api:evaluationsummary-list": api(READERS, scoped=DEPT, marker=_marker),
}


def populate(county: County) -> None:
    """A follow-up of the first department due in the last quarter (the pages' default quarter)."""
    summary_factories.follow_up(county, due_on=last_quarter().start + dt.timedelta(days=10))
