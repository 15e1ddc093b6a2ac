"""Background work of the oversight app: the daily deadline sweep (django-tasks, ``manage.py db_worker``).

The task re-enqueues itself one day later (django-tasks has no cron), like the audit checkpoint; it is
seeded by ``manage.py schedule_periodic`` and never queued twice.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from qijian.audit.tasks import ensure_scheduled
from qijian.core.calendar import local_today
from qijian.oversight.sweeps import run_sweeps

SWEEP_INTERVAL = dt.timedelta(days=1)


@task()
def sweep_once_task(day: str = "") -> list[str]:
    """Run the R08 / R11 sweeps and reminders for ``day`` (ISO date; default today); idempotent."""
    today = dt.date.fromisoformat(day) if day else local_today()
    return run_sweeps(today).lines()


@task()
def sweep_deadlines_task() -> list[str]:
    """The daily sweep: run it for today, then queue the next run one day later."""
    try:
        return sweep_once_task.call()
    finally:
        ensure_scheduled(sweep_deadlines_task, delay=SWEEP_INTERVAL)
