"""Telling people: in-app notifications and e-mail sent by the task worker after commit.

Services call ``notify_role`` / ``notify_users`` inside their transaction (the notification rows
commit with the change) and ``queue_mail`` for mail: the message is queued only once the
transaction commits, and the worker sends it through the SMTP server in settings, retrying
nothing silently — a failed send stays in the task table as FAILED for the operator to see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django_tasks import task

from qijian.core.models import Notification


@task()
def send_mail_task(to: list[str], subject: str, body: str, mark: str = "") -> int:
    """Send one message; ``mark`` names a callback (dotted path) called with its result, e.g. to stamp a row."""
    sent = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to).send()
    if mark and sent:
        _call(mark)
    return sent


def _call(mark: str) -> None:
    """Run a "module.mark_something:argument" callback; only Qijian's own ``mark_*`` functions qualify."""
    from importlib import import_module

    path, _, arg = mark.partition(":")
    module, _, name = path.rpartition(".")
    if not module.startswith("qijian.") or not name.startswith("mark_"):
        raise ValueError(f"not a mail callback: {mark!r}")
    getattr(import_module(module), name)(arg)


def queue_mail(*, to: Iterable[str], subject: str, body: str, mark: str = "") -> None:
    """Queue a mail to be sent once the surrounding transaction commits.

    ``mark`` is "module.function:argument": after a successful send the worker calls
    ``function("argument")`` (used to record that the office was told about a filing).
    """
    recipients = [address for address in to if address]
    if not recipients:
        return
    transaction.on_commit(lambda: send_mail_task.enqueue(recipients, subject, body, mark))


def notify_users(*, users: Iterable[Any], title: str, body: str = "", link: str = "") -> int:
    rows = [Notification(recipient=u, title=title[:200], body=body, link=link[:255]) for u in users]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notify_role(*, role: str, title: str, body: str = "", link: str = "", department_id: int | None = None) -> int:
    """Notify every active user of ``role`` (optionally of one department)."""
    from qijian.accounts.models import User

    users = User.objects.filter(role=role, is_active=True)
    if department_id is not None:
        users = users.filter(department_id=department_id)
    return notify_users(users=users, title=title, body=body, link=link)


def office_mailbox() -> str:
    return str(settings.QJ_OFFICE_MAILBOX)
