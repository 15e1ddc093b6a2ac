"""The periodic checkpoint task: idempotent, self-rescheduling on the database queue, seeded once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from qijian.audit.models import AuditCheckpoint, VerificationRun
from qijian.audit.services import record_event, request_verification
from qijian.audit.tasks import checkpoint_task, periodic_checkpoint_task

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=IMMEDIATE)
def test_checkpoint_task_signs_new_events_and_then_does_nothing() -> None:
    record_event(actor=None, action="test.one")
    first = checkpoint_task.enqueue()
    second = checkpoint_task.enqueue()
    assert first.status == TaskResultStatus.SUCCESSFUL and first.return_value is not None
    assert second.return_value is None
    assert AuditCheckpoint.objects.count() == 1


@override_settings(TASKS=IMMEDIATE)
def test_periodic_task_on_a_backend_without_run_after_runs_once() -> None:
    record_event(actor=None, action="test.one")
    result = periodic_checkpoint_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert AuditCheckpoint.objects.count() == 1 and not DBTaskResult.objects.exists()


@override_settings(TASKS=DATABASE)
def test_periodic_task_requeues_itself_exactly_once() -> None:
    record_event(actor=None, action="test.one")
    periodic_checkpoint_task.call()
    periodic_checkpoint_task.call()  # a second run must not queue a second copy
    queued = DBTaskResult.objects.filter(task_path=periodic_checkpoint_task.module_path)
    assert queued.count() == 1
    pending = queued.get()
    assert pending.status == TaskResultStatus.READY and pending.run_after > pending.enqueued_at
    assert AuditCheckpoint.objects.count() == 1


@override_settings(TASKS=DATABASE)
def test_schedule_periodic_seeds_the_task_once() -> None:
    out = io.StringIO()
    call_command("schedule_periodic", stdout=out)
    call_command("schedule_periodic", stdout=out)
    assert DBTaskResult.objects.filter(task_path=periodic_checkpoint_task.module_path).count() == 1
    assert "已排入" in out.getvalue() and "未重复排入" in out.getvalue()


@override_settings(TASKS=IMMEDIATE)
def test_requested_verification_runs_in_the_background_and_stores_its_outcome(
    django_capture_on_commit_callbacks: object,
) -> None:
    record_event(actor=None, action="test.one")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        run = request_verification(actor=None)
    run.refresh_from_db()
    assert run.status == "passed" and run.rows >= 2 and run.finished_at is not None
    assert VerificationRun.objects.count() == 1
