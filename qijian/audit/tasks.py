"""Background work of the audit trail, run by ``manage.py db_worker`` (django-tasks-db).

The periodic checkpoint re-enqueues itself with ``run_after`` (django-tasks has no cron); it is
seeded by ``manage.py schedule_periodic`` and never queued twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django_tasks import TaskResultStatus, task

from qijian.audit.choices import CheckpointKind
from qijian.audit.models import VerificationRun
from qijian.audit.queries import verify_stored_chain
from qijian.audit.services import complete_verification, write_checkpoint


def checkpoint_interval() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "QJ_AUDIT_CHECKPOINT_MINUTES", 60)))


def is_pending(scheduled: Any) -> bool:
    """Is a run of this task already waiting in the database queue?"""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=scheduled.module_path, status=TaskResultStatus.READY).exists()


def ensure_scheduled(scheduled: Any, *, delay: dt.timedelta) -> bool:
    """Queue ``scheduled`` to run after ``delay`` unless one is already waiting; False if not queued."""
    if not scheduled.get_backend().supports_defer or is_pending(scheduled):
        return False
    scheduled.using(run_after=dt.datetime.now(dt.UTC) + delay).enqueue()
    return True


@task()
def checkpoint_task() -> int | None:
    """Sign the chain head; idempotent: returns None and writes nothing when the head is already signed."""
    checkpoint = write_checkpoint(actor=None, kind=CheckpointKind.PERIODIC)
    return checkpoint.up_to_seq if checkpoint else None


@task()
def periodic_checkpoint_task() -> int | None:
    """The periodic checkpoint: sign the head, then queue the next run one interval later."""
    try:
        return checkpoint_task.call()
    finally:
        ensure_scheduled(periodic_checkpoint_task, delay=checkpoint_interval())


@task()
def verify_chain_task(run_id: int) -> str:
    """Verify the whole chain for a run requested from the auditor's page; stores the outcome."""
    run = VerificationRun.objects.get(pk=run_id)
    try:
        report = verify_stored_chain()
    except Exception as exc:
        complete_verification(run=run, report=None, error=f"{type(exc).__name__}: {exc}")
        raise
    return complete_verification(run=run, report=report).status
