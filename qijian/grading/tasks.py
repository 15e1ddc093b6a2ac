"""Background work of grading: the daily check that puts an approved list in force on its effective date.

Like oversight's sweep, the task re-enqueues itself one day later; ``manage.py schedule_periodic`` seeds
it and never queues it twice. Running it twice a day changes nothing (apply_due_lists is idempotent).
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from qijian.audit.tasks import ensure_scheduled
from qijian.grading.services import apply_due_lists

CHECK_INTERVAL = dt.timedelta(days=1)


@task()
def apply_due_lists_task() -> list[str]:
    """Apply the approved lists whose effective date has come, then queue the next run one day later."""
    try:
        return apply_due_lists(actor=None)
    finally:
        ensure_scheduled(apply_due_lists_task, delay=CHECK_INTERVAL)
