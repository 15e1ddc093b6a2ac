"""Follow-up services: creation on an on-site check-out, automatic assignment, reassignment, recording."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.audit.models import AuditEvent
from qijian.core.calendar import local_zone
from qijian.core.models import Notification
from qijian.core.testing import County
from qijian.evaluations.models import FollowUp
from qijian.evaluations.services import followups as services
from qijian.evaluations.services.followups import FollowUpError
from qijian.oversight import rules
from tests.evaluations.conftest import finished_visit, unfiled_visit


@pytest.fixture(autouse=True)
def _media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _events(follow_up: FollowUp, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, target_id=str(follow_up.pk)).order_by("seq"))


# --- creation and automatic assignment -----------------------------------------------------------------


def test_an_onsite_checkout_creates_a_follow_up_due_within_the_policy_days(county: County) -> None:
    checkin = finished_visit(county)
    follow_up = FollowUp.objects.get(checkin=checkin)
    inspected_on = checkin.scanned_at.astimezone(local_zone()).date()
    assert follow_up.inspected_on == inspected_on and follow_up.due_on == inspected_on + dt.timedelta(days=5)
    assert follow_up.filing == checkin.filing and follow_up.department == county.dept
    assert follow_up.status == "pending" and _events(follow_up, "evaluations.create_follow_up")


def test_a_remote_checkout_creates_no_follow_up(county: County) -> None:
    finished_visit(county, method="remote")
    assert not FollowUp.objects.exists()


def test_an_unfiled_onsite_entry_gets_a_follow_up_of_the_inspectors_department(county: County) -> None:
    checkin = unfiled_visit(county)
    follow_up = FollowUp.objects.get(checkin=checkin)
    assert checkin.unfiled and follow_up.filing is None and follow_up.department == county.dept


def test_a_new_follow_up_goes_to_the_least_loaded_supervisor_ties_by_id(county: County) -> None:
    first, second = county.user("supervisor"), county.user("supervisor", other=True)
    assert first.pk < second.pk
    owners = [FollowUp.objects.get(checkin=unfiled_visit(county)).assigned_to for _ in range(3)]
    assert owners == [first, second, first]
    event = _events(FollowUp.objects.order_by("id").first(), "evaluations.assign_follow_up")[0]  # type: ignore[arg-type]
    assert event.actor is None and isinstance(event.after, dict) and event.after["auto"] is True


def test_done_follow_ups_do_not_count_as_load_and_inactive_supervisors_get_none(county: County) -> None:
    first = FollowUp.objects.get(checkin=unfiled_visit(county))
    services.record_follow_up(actor=county.user("supervisor"), follow_up=first, method="phone", findings="企业无意见")
    assert FollowUp.objects.get(checkin=unfiled_visit(county)).assigned_to == county.user("supervisor")
    county.user("supervisor").__class__.objects.filter(pk=county.user("supervisor").pk).update(is_active=False)
    assert FollowUp.objects.get(checkin=unfiled_visit(county)).assigned_to == county.user("supervisor", other=True)


def test_the_assignee_is_told_in_the_app(county: County) -> None:
    follow_up = FollowUp.objects.get(checkin=unfiled_visit(county))
    note = Notification.objects.get(recipient=county.user("supervisor"), title__startswith="回访任务")
    assert county.enterprise.name in note.title and note.link.endswith(f"/evaluations/follow-ups/{follow_up.pk}/")


def test_with_no_supervisor_it_stays_unassigned_and_the_office_is_told(county: County) -> None:
    county.user("supervisor").__class__.objects.filter(role="supervisor").update(is_active=False)
    follow_up = FollowUp.objects.get(checkin=unfiled_visit(county))
    assert follow_up.assigned_to is None and not _events(follow_up, "evaluations.assign_follow_up")
    told = Notification.objects.filter(title__startswith="回访任务待分派").values_list("recipient__role", flat=True)
    assert set(told) == {"office"} and len(told) == 2


# --- reassignment ----------------------------------------------------------------------------------------


@pytest.fixture
def fu(county: County) -> FollowUp:
    return FollowUp.objects.get(checkin=finished_visit(county))


@pytest.mark.parametrize("role", ["office", "supervisor"])
def test_the_office_or_a_supervisor_reassigns_and_it_is_audited(county: County, fu: FollowUp, role: str) -> None:
    target = county.user("supervisor", other=True)
    FollowUp.objects.filter(pk=fu.pk).update(reminded_at=dt.datetime.now(dt.UTC))
    row = services.assign_follow_up(actor=county.user(role), follow_up=fu, assignee=target)
    assert row.assigned_to == target and row.reminded_at is None
    event = _events(fu, "evaluations.assign_follow_up")[-1]
    assert event.actor == county.user(role) and event.before == {"assigned_to": county.user("supervisor").username}
    assert Notification.objects.filter(recipient=target, title__startswith="回访任务").exists()


@pytest.mark.parametrize("who", ["inspector", "dept_admin", "office", "enterprise"])
def test_reassigning_to_a_non_supervisor_is_refused_and_nothing_changes(county: County, fu: FollowUp, who: str) -> None:
    with pytest.raises(FollowUpError, match="在岗的县司法局执法监督人员"):
        services.assign_follow_up(actor=county.user("office"), follow_up=fu, assignee=county.user(who))
    fu.refresh_from_db()
    assert fu.assigned_to == county.user("supervisor") and len(_events(fu, "evaluations.assign_follow_up")) == 1


def test_reassigning_to_an_inactive_supervisor_or_the_same_one_is_refused(county: County, fu: FollowUp) -> None:
    with pytest.raises(FollowUpError, match="已由此人负责"):
        services.assign_follow_up(actor=county.user("office"), follow_up=fu, assignee=county.user("supervisor"))
    other = county.user("supervisor", other=True)
    other.is_active = False
    with pytest.raises(FollowUpError, match="在岗"):
        services.assign_follow_up(actor=county.user("office"), follow_up=fu, assignee=other)


@pytest.mark.parametrize("role", ["dept_admin", "inspector", "random_coordinator", "discipline"])
def test_only_the_office_or_a_supervisor_may_reassign(county: County, fu: FollowUp, role: str) -> None:
    with pytest.raises(FollowUpError, match="只有联席会议办公室或县司法局"):
        services.assign_follow_up(actor=county.user(role), follow_up=fu, assignee=county.user("supervisor", other=True))


def test_a_done_follow_up_cannot_be_reassigned(county: County, fu: FollowUp) -> None:
    services.record_follow_up(actor=county.user("supervisor"), follow_up=fu, method="visit", findings="企业满意")
    with pytest.raises(FollowUpError, match="已完成"):
        services.assign_follow_up(
            actor=county.user("office"), follow_up=fu, assignee=county.user("supervisor", other=True)
        )


# --- recording ---------------------------------------------------------------------------------------------


def test_a_supervisor_records_method_and_findings_once(county: County, fu: FollowUp) -> None:
    actor = county.user("supervisor", other=True)  # any supervisor, not only the assignee
    row = services.record_follow_up(actor=actor, follow_up=fu, method="phone", findings="  企业表示检查规范,无意见。 ")
    assert (row.status, row.method, row.findings, row.done_by) == ("done", "phone", "企业表示检查规范,无意见。", actor)
    assert row.done_at is not None and not row.done_late
    event = _events(fu, "evaluations.record_follow_up")[0]
    assert event.after == {"method": "phone", "findings": "企业表示检查规范,无意见。", "late": False}
    with pytest.raises(FollowUpError, match="不能重复登记或修改"):
        services.record_follow_up(actor=actor, follow_up=fu, method="visit", findings="改一下")
    fu.refresh_from_db()
    assert fu.method == "phone" and len(_events(fu, "evaluations.record_follow_up")) == 1


@pytest.mark.parametrize(
    ("method", "findings", "message"),
    [
        ("phone", "   ", "请填写回访情况"),
        ("", "企业无意见", "回访方式"),
        ("sms", "企业无意见", "回访方式"),
        ("phone", "字" * 4001, "4000"),
    ],
)
def test_bad_record_input_is_refused_and_nothing_is_written(
    county: County, fu: FollowUp, method: str, findings: str, message: str
) -> None:
    with pytest.raises(FollowUpError, match=message):
        services.record_follow_up(actor=county.user("supervisor"), follow_up=fu, method=method, findings=findings)
    fu.refresh_from_db()
    assert fu.status == "pending" and not fu.findings and not _events(fu, "evaluations.record_follow_up")


@pytest.mark.parametrize("role", ["office", "dept_admin", "inspector", "enterprise"])
def test_only_a_supervisor_records_a_follow_up(county: County, fu: FollowUp, role: str) -> None:
    with pytest.raises(FollowUpError, match="只有县司法局执法监督人员"):
        services.record_follow_up(actor=county.user(role), follow_up=fu, method="phone", findings="企业无意见")


def test_a_follow_up_done_after_its_deadline_is_late(county: County, fu: FollowUp, monkeypatch: Any) -> None:
    late = dt.datetime.combine(fu.due_on + dt.timedelta(days=1), dt.time(0, 30), tzinfo=local_zone())
    monkeypatch.setattr(services, "_now", lambda: late)
    row = services.record_follow_up(actor=county.user("supervisor"), follow_up=fu, method="online", findings="线上回访")
    assert row.done_late and _events(fu, "evaluations.record_follow_up")[0].after == {
        "method": "online",
        "findings": "线上回访",
        "late": True,
    }


def test_done_on_the_deadline_day_is_in_time(county: County, fu: FollowUp, monkeypatch: Any) -> None:
    last = dt.datetime.combine(fu.due_on, dt.time(23, 59), tzinfo=local_zone())
    monkeypatch.setattr(services, "_now", lambda: last)
    row = services.record_follow_up(actor=county.user("supervisor"), follow_up=fu, method="online", findings="线上回访")
    assert not row.done_late


# --- R10 (pure rule) and the department's counts --------------------------------------------------------------

DUE = dt.date(2026, 10, 10)


@pytest.mark.parametrize(
    ("today", "done", "fires"),
    [
        (DUE - dt.timedelta(days=1), False, False),
        (DUE, False, False),
        (DUE + dt.timedelta(days=1), False, True),
        (DUE + dt.timedelta(days=30), False, True),
        (DUE + dt.timedelta(days=1), True, False),
        (DUE - dt.timedelta(days=1), True, False),
    ],
)
def test_r10_a_follow_up_not_done_after_its_deadline_day_is_overdue(today: dt.date, done: bool, fires: bool) -> None:
    """R10 在各县级执法部门开展检查5日内对企业进行回访"""
    finding = rules.follow_up_overdue(what="县应急管理局对甲公司的检查", due_on=DUE, today=today, done=done)
    if not fires:
        assert finding is None
        return
    assert finding is not None and finding.rule == "R10" and finding.severity == rules.OVERDUE
    assert finding.source == rules.RULES["R10"].source and "2026-10-10" in finding.message
    assert finding.facts == {"due_on": "2026-10-10"}


def _state(fu: FollowUp, due_on: dt.date, done_on: dt.date | None) -> None:
    done_at = dt.datetime.combine(done_on, dt.time(10), tzinfo=local_zone()) if done_on else None
    FollowUp.objects.filter(pk=fu.pk).update(due_on=due_on, status="done" if done_on else "pending", done_at=done_at)
