"""The daily follow-up sweep (registered with ``qijian.oversight.sweeps`` from hooks.py).

- R10: every follow-up still pending after its deadline day raises one overdue alert, key
  "R10:follow_up:<pk>" (``raise_alert`` is idempotent by key, so a second run raises nothing).
- Reminder: ``follow_up.remind_days_before`` days before the deadline (or later, up to the deadline day,
  if the sweep missed that day) the assigned person is mailed and told in the app, once: ``reminded_at``
  is stamped in the same transaction. A reassignment clears it, so the new assignee is reminded too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from qijian.audit.services import record_event
from qijian.core.notify import notify_users, queue_mail
from qijian.evaluations.choices import FollowUpStatus
from qijian.evaluations.models import FollowUp
from qijian.evaluations.services.followups import _now, detail_link
from qijian.oversight import rules
from qijian.oversight.models import Alert
from qijian.oversight.services import raise_alert
from qijian.policy.loader import figure

RELATED = ("enterprise", "department", "filing", "assigned_to")


def alert_key(follow_up: FollowUp) -> str:
    return f"R10:follow_up:{follow_up.pk}"


def sweep_follow_ups(today: dt.date) -> list[Alert]:
    """R10 for overdue follow-ups, then the reminders due today; returns the alerts raised."""
    raised = raise_overdue(today)
    send_follow_up_reminders(today)
    return raised


# --- R10 ----------------------------------------------------------------------------------------------


def _what(follow_up: FollowUp) -> str:
    return f"{follow_up.department.name}{follow_up.inspected_on:%Y年%m月%d日}对“{follow_up.enterprise.name}”的检查"


def raise_overdue(today: dt.date) -> list[Alert]:
    pending = FollowUp.objects.filter(status=FollowUpStatus.PENDING, due_on__lt=today)
    known = set(Alert.objects.filter(dedup_key__startswith="R10:follow_up:").values_list("dedup_key", flat=True))
    raised = []
    for follow_up in pending.select_related(*RELATED).order_by("due_on", "pk"):
        if alert_key(follow_up) in known:
            continue
        alert = _raise(follow_up, today)
        if alert is not None:
            raised.append(alert)
    return raised


def _raise(follow_up: FollowUp, today: dt.date) -> Alert | None:
    finding = rules.follow_up_overdue(what=_what(follow_up), due_on=follow_up.due_on, today=today, done=False)
    if finding is None:
        return None
    facts = finding.facts | {"follow_up": follow_up.pk, "inspected_on": follow_up.inspected_on.isoformat()}
    finding = rules.Finding(finding.rule, finding.severity, finding.message, facts)
    subjects = {"department": follow_up.department, "enterprise": follow_up.enterprise, "filing": follow_up.filing}
    return raise_alert(finding=finding, key=alert_key(follow_up), **subjects)


# --- reminders ----------------------------------------------------------------------------------------


def reminders_due(today: dt.date) -> Any:
    """Pending, assigned, not yet reminded follow-ups whose deadline is at most ``remind_days_before`` away."""
    horizon = today + dt.timedelta(days=int(figure("follow_up.remind_days_before")))
    rows = FollowUp.objects.filter(
        status=FollowUpStatus.PENDING,
        assigned_to__isnull=False,
        reminded_at__isnull=True,
        due_on__gte=today,
        due_on__lte=horizon,
    )
    return rows.select_related(*RELATED).order_by("due_on", "pk")


def send_follow_up_reminders(today: dt.date) -> list[FollowUp]:
    return [row for row in reminders_due(today) if _remind(row)]


def _reminder_text(follow_up: FollowUp) -> tuple[str, str]:
    title = f"回访提醒:{follow_up.enterprise.name}的回访将于{follow_up.due_on:%Y年%m月%d日}到期"
    body = (
        f"{_what(follow_up)}须在{follow_up.due_on:%Y年%m月%d日}前完成回访,请及时通过电话、上门或线上方式回访企业并登记回访情况;"
        "逾期未回访将生成监督预警(R10)。"
    )
    return title, body


@transaction.atomic
def _remind(follow_up: FollowUp) -> bool:
    """Mail and notify the assignee once; False if another sweep got there first."""
    stamped = FollowUp.objects.filter(pk=follow_up.pk, reminded_at__isnull=True).update(reminded_at=_now())
    if not stamped:
        return False
    user = follow_up.assigned_to
    title, body = _reminder_text(follow_up)
    notify_users(users=[user], title=title, body=body, link=detail_link(follow_up))
    queue_mail(to=[user.email] if user else [], subject=f"[企检] {title}", body=body)
    after = {"assigned_to": user.username if user else None, "due_on": follow_up.due_on.isoformat()}
    record_event(actor=None, action="evaluations.remind_follow_up", target=follow_up, after=after)
    return True
