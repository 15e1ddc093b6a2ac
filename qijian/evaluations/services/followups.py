"""Follow-up services (回访): created on the check-out of an on-site inspection, then done by 司法局 staff.

- ``create_follow_up``: the follow-up of a finished on-site check-in (filed or not), assigned at once to the
  active supervisor-role user with the fewest open follow-ups (ties: the lowest id); with no such user it stays
  unassigned and the office is told in the app.
- ``assign_follow_up``: the office or a supervisor hands an open follow-up to another supervisor-role user.
- ``record_follow_up``: a supervisor records how the enterprise was reached and what was learnt; once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from qijian.accounts.choices import Role
from qijian.accounts.models import User
from qijian.audit.services import record_event
from qijian.catalog.choices import InspectionMethod
from qijian.checkins.models import CheckIn
from qijian.core.calendar import local_zone
from qijian.core.notify import notify_role, notify_users
from qijian.evaluations.choices import FollowUpMethod, FollowUpStatus
from qijian.evaluations.models import FollowUp
from qijian.policy.loader import figure

ASSIGNERS = frozenset({Role.OFFICE, Role.SUPERVISOR})
FINDINGS_MAX = 4000


class FollowUpError(ValueError):
    """A follow-up action that is not allowed; the message is for the user (Chinese)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def follow_up_after_checkout(sender: Any, *, checkin: CheckIn, actor: Any, **kwargs: Any) -> None:
    """Receiver of ``checkins.signals.checked_out``: a finished on-site inspection gets its follow-up."""
    if checkin.method == InspectionMethod.ONSITE:
        create_follow_up(actor=actor, checkin=checkin)


def _department_of(checkin: CheckIn) -> Any:
    return checkin.filing.department if checkin.filing is not None else checkin.inspector.department


def detail_link(follow_up: FollowUp) -> str:
    return reverse("evaluations:followup_detail", args=[follow_up.pk])


# --- who runs it --------------------------------------------------------------------------------------


def open_load() -> Any:
    """Subquery: how many pending follow-ups the outer user is assigned."""
    pending = FollowUp.objects.filter(assigned_to=OuterRef("pk"), status=FollowUpStatus.PENDING)
    counted = pending.order_by().values("assigned_to").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def assignees() -> Any:
    """Who may run follow-ups: active supervisor-role (县司法局) users, with their open load, least loaded first."""
    users = User.objects.filter(role=Role.SUPERVISOR, is_active=True)
    return users.annotate(open_follow_ups=open_load()).order_by("open_follow_ups", "id")


def least_loaded() -> User | None:
    return assignees().first()


def _tell_assignee(follow_up: FollowUp, user: User) -> None:
    title = f"回访任务:{follow_up.enterprise.name}(期限{follow_up.due_on:%Y年%m月%d日})"
    body = (
        f"{follow_up.department.name}于{follow_up.inspected_on:%Y年%m月%d日}对该企业开展现场检查,请在期限内完成回访。"
    )
    notify_users(users=[user], title=title, body=body, link=detail_link(follow_up))


def _tell_office_unassigned(follow_up: FollowUp) -> None:
    title = f"回访任务待分派:{follow_up.enterprise.name}"
    body = "系统中没有在岗的县司法局执法监督人员,该回访任务未能自动分派,请指定回访人。"
    notify_role(role=Role.OFFICE, title=title, body=body, link=detail_link(follow_up))


def _auto_assign(follow_up: FollowUp) -> None:
    user = least_loaded()
    if user is None:
        _tell_office_unassigned(follow_up)
        return
    follow_up.assigned_to = user
    follow_up.save(update_fields=["assigned_to", "updated_at"])
    record_event(actor=None, action="evaluations.assign_follow_up", target=follow_up, after=_assigned(user, auto=True))
    _tell_assignee(follow_up, user)


def _assigned(user: User, *, auto: bool) -> dict[str, Any]:
    return {"assigned_to": user.username, "name": user.get_full_name(), "auto": auto}


# --- creation -----------------------------------------------------------------------------------------


@transaction.atomic
def create_follow_up(*, actor: Any, checkin: CheckIn) -> FollowUp | None:
    """The follow-up of ``checkin`` (None if it has one already), due ``follow_up.days`` after the visit."""
    if FollowUp.objects.filter(checkin=checkin).exists():
        return None
    inspected_on = checkin.scanned_at.astimezone(local_zone()).date()
    follow_up = FollowUp.objects.create(
        checkin=checkin,
        filing_id=checkin.filing_id,
        enterprise_id=checkin.enterprise_id,
        department=_department_of(checkin),
        inspected_on=inspected_on,
        due_on=inspected_on + dt.timedelta(days=int(figure("follow_up.days"))),
    )
    record_event(
        actor=actor,
        action="evaluations.create_follow_up",
        target=follow_up,
        after={"checkin": checkin.pk, "due_on": follow_up.due_on.isoformat()},
    )
    _auto_assign(follow_up)
    return follow_up


# --- reassignment -------------------------------------------------------------------------------------


def _check_assign(actor: Any, follow_up: FollowUp, assignee: Any) -> None:
    if getattr(actor, "role", None) not in ASSIGNERS:
        raise FollowUpError("只有联席会议办公室或县司法局执法监督人员可以分派回访任务。")
    if follow_up.status != FollowUpStatus.PENDING:
        raise FollowUpError("该回访已完成,不能再改派。")
    if assignee is None or getattr(assignee, "role", None) != Role.SUPERVISOR or not assignee.is_active:
        raise FollowUpError("回访人须为在岗的县司法局执法监督人员。")
    if follow_up.assigned_to_id == assignee.pk:
        raise FollowUpError("该回访任务已由此人负责。")


@transaction.atomic
def assign_follow_up(*, actor: Any, follow_up: FollowUp, assignee: Any) -> FollowUp:
    """Hand an open follow-up to ``assignee`` (an active supervisor-role user); the reminder is sent again."""
    follow_up = FollowUp.objects.select_for_update().select_related("enterprise", "department").get(pk=follow_up.pk)
    _check_assign(actor, follow_up, assignee)
    before = {"assigned_to": follow_up.assigned_to.username if follow_up.assigned_to else None}
    follow_up.assigned_to, follow_up.reminded_at = assignee, None
    follow_up.save(update_fields=["assigned_to", "reminded_at", "updated_at"])
    after = _assigned(assignee, auto=False)
    record_event(actor=actor, action="evaluations.assign_follow_up", target=follow_up, before=before, after=after)
    _tell_assignee(follow_up, assignee)
    return follow_up


# --- doing it -----------------------------------------------------------------------------------------


def _check_record(actor: Any, follow_up: FollowUp, method: str, findings: str) -> None:
    if getattr(actor, "role", None) != Role.SUPERVISOR:
        raise FollowUpError("只有县司法局执法监督人员可以登记回访情况。")
    if follow_up.status != FollowUpStatus.PENDING:
        raise FollowUpError("该回访已登记完成,不能重复登记或修改。")
    if method not in FollowUpMethod.values:
        raise FollowUpError("回访方式应为电话回访、上门回访或线上回访。")
    if not findings:
        raise FollowUpError("请填写回访情况(企业反映的意见和了解到的情况)。")
    if len(findings) > FINDINGS_MAX:
        raise FollowUpError(f"回访情况不能超过{FINDINGS_MAX}字。")


@transaction.atomic
def record_follow_up(*, actor: Any, follow_up: FollowUp, method: str, findings: str) -> FollowUp:
    """Record how the enterprise was reached and what was learnt; the follow-up is then done (no edits)."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    findings = str(findings or "").strip()
    _check_record(actor, follow_up, method, findings)
    follow_up.status, follow_up.method, follow_up.findings = FollowUpStatus.DONE, method, findings
    follow_up.done_at, follow_up.done_by = _now(), actor
    follow_up.save(update_fields=["status", "method", "findings", "done_at", "done_by", "updated_at"])
    after = {"method": method, "findings": findings, "late": follow_up.done_late}
    record_event(actor=actor, action="evaluations.record_follow_up", target=follow_up, after=after)
    return follow_up
