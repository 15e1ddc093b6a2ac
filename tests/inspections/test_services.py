"""Filing services: every bad input of the issue is refused with a Chinese message and writes nothing;
urgent filings with a past start are refused with a critical R02 alert; amendments keep the original."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qijian.audit.models import AuditEvent
from qijian.core.models import Notification
from qijian.inspections import services
from qijian.inspections.choices import FilingStatus
from qijian.inspections.models import Filing
from qijian.inspections.services import FilingError
from qijian.org.models import Inspector
from qijian.org.services import declare_conflict
from qijian.oversight.models import Alert
from tests.inspections.conftest import Setup, at, make_entry


def planned(s: Setup, **overrides: Any) -> Filing:
    args: dict[str, Any] = {
        "actor": s.admin,
        "entry": s.entry,
        "enterprises": [s.county.enterprise.uscc],
        "inspectors": s.pair,
        "window_start": at(1, 9),
        "window_end": at(1, 17),
    }
    return services.file_planned(**(args | overrides))


def urgent(s: Setup, **overrides: Any) -> Filing:
    args: dict[str, Any] = {
        "actor": s.admin,
        "item": s.item,
        "reason": "complaint",
        "reason_detail": "12345 热线投诉 2026-1127-001",
        "enterprises": [s.county.enterprise],
        "inspectors": s.pair,
        "window_end": dt.datetime.now(dt.UTC) + dt.timedelta(hours=6),  # after now at any hour of the day
    }
    return services.file_urgent(**(args | overrides))


def refused(call: Any, *fragments: str) -> str:
    before = (Filing.objects.count(), AuditEvent.objects.count())
    with pytest.raises(FilingError) as info:
        call()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message
    assert (Filing.objects.count(), AuditEvent.objects.count()) == before
    return message


# --- planned filings -------------------------------------------------------------------------------


def test_planned_filing_is_numbered_audited_and_reaches_the_office(setup: Setup) -> None:
    filing = planned(setup)
    today = dt.datetime.now(dt.UTC).astimezone(at().tzinfo).date()
    assert filing.number == f"BB{today:%Y%m%d}-0001"
    assert filing.status == FilingStatus.ACTIVE and filing.plan_entry == setup.entry
    assert list(filing.enterprises.all()) == [setup.county.enterprise]
    assert AuditEvent.objects.filter(action="inspections.file_planned", target_id=str(filing.pk)).exists()
    office = setup.county.user("office")
    note = Notification.objects.get(recipient=office)
    assert filing.number in note.title and setup.county.enterprise.uscc in note.body
    assert planned(setup, window_start=at(2, 9), window_end=at(2, 12)).number.endswith("-0002")


def test_filing_for_an_unknown_enterprise_is_refused(setup: Setup) -> None:
    refused(lambda: planned(setup, enterprises=["91130921MA0XXXXX9X"]), "91130921MA0XXXXX9X", "不在企业库")


def test_item_outside_the_effective_catalog_is_refused_r04(setup: Setup) -> None:
    entry = make_entry(setup.county.dept, setup.other_item)  # another department's catalog row
    refused(lambda: planned(setup, entry=entry), "HB-101", "不在本部门现行有效的检查事项清单内")


def test_urgent_filing_with_an_item_outside_the_catalog_is_refused(setup: Setup) -> None:
    refused(lambda: urgent(setup, item=setup.other_item), "HB-101")


def test_one_inspector_is_refused_r03(setup: Setup) -> None:
    refused(lambda: planned(setup, inspectors=[setup.county.inspector]), "不少于2名", "仅1名")


def test_an_expired_certificate_is_named(setup: Setup) -> None:
    Inspector.objects.filter(pk=setup.colleague.pk).update(certificate_valid_until=dt.date(2025, 6, 30))
    message = refused(lambda: planned(setup), "13092100003", "已于2025-06-30过期")
    assert "仅1名" in message


def test_a_window_in_the_past_is_refused_without_an_alert(setup: Setup) -> None:
    refused(lambda: planned(setup, window_start=at(0, 0), window_end=at(1, 17)), "已过", "不允许事后报备")
    assert not Alert.objects.exists()


def test_window_outside_the_entry_is_refused(setup: Setup) -> None:
    refused(lambda: planned(setup, window_start=at(50, 9), window_end=at(50, 17)), "计划检查时间")


def test_window_end_before_start_is_refused(setup: Setup) -> None:
    refused(lambda: planned(setup, window_start=at(2, 17), window_end=at(2, 9)), "结束时间须晚于开始时间")


def test_declared_conflict_of_interest_is_refused(setup: Setup) -> None:
    declare_conflict(
        actor=None,
        inspector=setup.colleague,
        enterprise=setup.county.enterprise,
        reason="配偶任该企业财务",
        declared_on="2026-01-05",
    )
    refused(lambda: planned(setup), "赵六", "利益冲突", "回避")


def test_inspector_of_an_unrelated_department_is_refused(setup: Setup) -> None:
    refused(lambda: planned(setup, inspectors=[setup.county.inspector, setup.county.other_inspector]), "王五")


def test_unapproved_plan_entry_is_refused(setup: Setup) -> None:
    setup.entry.plan.status = "submitted"
    setup.entry.plan.save(update_fields=["status"])
    refused(lambda: planned(setup), "尚未审定")


def test_enterprise_outside_the_entry_targets_is_refused(setup: Setup) -> None:
    setup.entry.targets.set([setup.county.other_enterprise])
    refused(lambda: planned(setup), "不在该计划条目的检查对象名单内")


def test_closed_enterprise_is_refused(setup: Setup) -> None:
    type(setup.county.enterprise).objects.filter(pk=setup.county.enterprise.pk).update(status="closed")
    refused(lambda: planned(setup), "注销")


def test_admin_of_another_department_may_not_file(setup: Setup) -> None:
    refused(lambda: planned(setup, actor=setup.county.user("dept_admin", other=True)), "部门管理员")


# --- urgent filings ---------------------------------------------------------------------------------


def test_urgent_filing_starts_now_by_the_server_clock(setup: Setup) -> None:
    before = dt.datetime.now(dt.UTC)
    filing = urgent(setup)
    assert before <= filing.window_start <= filing.filed_at
    assert filing.urgent_reason == "complaint"


def test_urgent_filing_needs_a_reason_and_a_detail(setup: Setup) -> None:
    refused(lambda: urgent(setup, reason="convenience"), "紧急检查须注明事由")
    refused(lambda: urgent(setup, reason_detail="  "), "事由说明")


def test_urgent_filing_with_a_claimed_past_start_is_refused_and_raises_r02(setup: Setup) -> None:
    claimed = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    with pytest.raises(FilingError, match="不允许事后报备"):
        urgent(setup, claimed_start=claimed)
    assert not Filing.objects.exists()
    alert = Alert.objects.get(rule="R02")
    assert alert.severity == "critical" and alert.referral_candidate
    assert alert.enterprise == setup.county.enterprise and alert.department == setup.county.dept


def test_urgent_filing_with_a_claimed_future_start_starts_then(setup: Setup) -> None:
    claimed = at(0, 22)
    if claimed <= dt.datetime.now(dt.UTC):
        claimed = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    filing = urgent(setup, claimed_start=claimed, window_end=claimed + dt.timedelta(hours=1))
    assert filing.window_start == claimed and not Alert.objects.filter(rule="R02").exists()


# --- amendments and cancellations -----------------------------------------------------------------------


def test_amendment_keeps_the_original_and_numbers_the_chain(setup: Setup) -> None:
    original = planned(setup)
    third = Inspector.objects.create(
        name="钱七",
        certificate_no="13092100009",
        department=setup.county.dept,
        certificate_valid_from=setup.colleague.certificate_valid_from,
        certificate_valid_until=setup.colleague.certificate_valid_until,
    )
    amended = services.amend_filing(
        actor=setup.admin, filing=original, inspectors=[setup.county.inspector, third], reason="赵六临时公出"
    )
    original.refresh_from_db()
    assert original.status == FilingStatus.AMENDED
    assert set(original.inspectors.all()) == {setup.county.inspector, setup.colleague}
    assert amended.number == f"{original.number}-1" and amended.supersedes == original
    assert amended.window_start == original.window_start and amended.window_end == original.window_end
    again = services.amend_filing(actor=setup.admin, filing=amended, window_end=at(1, 18), reason="延长")
    assert again.number == f"{original.number}-2"
    event = AuditEvent.objects.get(action="inspections.amend_filing", target_id=str(original.pk))
    assert event.before and event.after and "赵六" in str(event.before) and "钱七" in str(event.after)


def test_amending_a_superseded_filing_is_refused(setup: Setup) -> None:
    original = planned(setup)
    services.amend_filing(actor=setup.admin, filing=original, window_end=at(1, 18), reason="延长")
    refused(
        lambda: services.amend_filing(actor=setup.admin, filing=original, window_end=at(1, 19), reason="再改"), "已变更"
    )


def test_amendment_revalidates_inspectors(setup: Setup) -> None:
    original = planned(setup)
    refused(
        lambda: services.amend_filing(actor=setup.admin, filing=original, inspectors=[setup.colleague], reason="x"),
        "仅1名",
    )


def test_cancellation_keeps_the_row(setup: Setup) -> None:
    filing = planned(setup)
    services.cancel_filing(actor=setup.admin, filing=filing, reason="企业停产检修")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.CANCELLED and filing.cancel_reason == "企业停产检修"
    assert filing.cancelled_by == setup.admin
    refused(lambda: services.cancel_filing(actor=setup.admin, filing=filing, reason="again"), "已撤销")


def test_cancellation_needs_a_reason(setup: Setup) -> None:
    filing = planned(setup)
    refused(lambda: services.cancel_filing(actor=setup.admin, filing=filing, reason=" "), "撤销原因")


# --- multi-level -------------------------------------------------------------------------------------


def superior(s: Setup, **overrides: Any) -> Filing:
    args: dict[str, Any] = {
        "actor": s.admin,
        "superior_department": s.province,
        "item": s.item,
        "enterprises": [s.county.enterprise, s.county.other_enterprise],
        "inspectors": s.pair,
        "window_start": at(3, 9),
        "window_end": at(3, 17),
    }
    return services.file_superior_inspection(**(args | overrides))


def test_superior_inspection_is_filed_by_the_county_counterpart(setup: Setup) -> None:
    filing = superior(setup)
    assert filing.superior_department == setup.province and filing.department == setup.county.dept
    refused(lambda: superior(setup, actor=setup.county.user("dept_admin", other=True)), "对口部门")


def test_superior_filing_needs_a_superior_level(setup: Setup) -> None:
    refused(lambda: superior(setup, superior_department=setup.county.other_dept), "不是上级")


def test_superior_inspectors_may_belong_to_the_superior_department(setup: Setup) -> None:
    provincial = Inspector.objects.create(
        name="省厅检查员",
        certificate_no="13000000001",
        department=setup.province,
        certificate_valid_from=setup.colleague.certificate_valid_from,
        certificate_valid_until=setup.colleague.certificate_valid_until,
    )
    filing = superior(setup, inspectors=[provincial, setup.county.inspector])
    assert provincial in filing.inspectors.all()


def test_second_acceptance_visit_is_accepted_and_raises_r08_once(setup: Setup) -> None:
    parent = superior(setup)

    def visit(day: int) -> Filing:
        return services.file_acceptance_visit(
            actor=setup.admin,
            superior_filing=parent,
            enterprises=[setup.county.enterprise],
            inspectors=setup.pair,
            window_start=at(day, 9),
            window_end=at(day, 11),
        )

    visit(5)
    assert not Alert.objects.filter(rule="R08").exists()
    second = visit(8)
    assert second.acceptance_of == parent
    assert Alert.objects.filter(rule="R08", filing=second).count() == 1


def test_acceptance_visit_of_an_enterprise_not_inspected_is_refused(setup: Setup) -> None:
    parent = superior(setup, enterprises=[setup.county.enterprise])
    refused(
        lambda: services.file_acceptance_visit(
            actor=setup.admin,
            superior_filing=parent,
            enterprises=[setup.county.other_enterprise],
            inspectors=setup.pair,
            window_start=at(5, 9),
            window_end=at(5, 11),
        ),
        "沧县乙公司",
    )


# --- stamps ---------------------------------------------------------------------------------------------


def test_mark_office_notified_stamps_once(setup: Setup) -> None:
    filing = planned(setup)
    services.mark_office_notified(str(filing.pk))
    filing.refresh_from_db()
    first = filing.office_notified_at
    assert first is not None
    services.mark_office_notified(str(filing.pk))
    filing.refresh_from_db()
    assert filing.office_notified_at == first


def test_office_receipt_is_recorded_by_the_first_office_reader(setup: Setup) -> None:
    filing = planned(setup)
    assert not services.mark_read_by_office(actor=setup.admin, filing=filing)
    assert services.mark_read_by_office(actor=setup.county.user("office"), filing=filing)
    assert not services.mark_read_by_office(actor=setup.county.user("office"), filing=filing)


# --- reads ---------------------------------------------------------------------------------------------


def test_filing_history_runs_from_the_original_through_each_amendment(setup: Setup) -> None:
    from qijian.inspections import queries

    original = planned(setup)
    first = services.amend_filing(actor=setup.admin, filing=original, window_end=at(1, 18), reason="延长")
    second = services.amend_filing(actor=setup.admin, filing=first, window_end=at(1, 19), reason="再延长")
    planned(setup, window_start=at(2, 9), window_end=at(2, 10))  # another chain
    assert queries.filing_history(second) == [original, first, second]
    assert queries.filing_history(original) == [original, first, second]


def test_filings_covering_finds_only_active_filings_whose_window_covers_the_moment(setup: Setup) -> None:
    from qijian.inspections import queries

    filing = planned(setup)
    enterprise = setup.county.enterprise.pk
    assert list(queries.filings_covering(enterprise, at(1, 10))) == [filing]
    assert not queries.filings_covering(enterprise, at(1, 18)).exists()
    assert not queries.filings_covering(setup.county.other_enterprise.pk, at(1, 10)).exists()
    services.cancel_filing(actor=setup.admin, filing=filing, reason="取消")
    assert not queries.filings_covering(enterprise, at(1, 10)).exists()


def test_township_without_a_mailbox_is_recorded(setup: Setup) -> None:
    filing = superior(setup, enterprises=[setup.county.enterprise])
    event = AuditEvent.objects.get(action="inspections.township_unreachable", target_id=str(filing.pk))
    assert event.after is not None and setup.county.township.name in event.after["townships"]


def test_a_role_that_may_not_file_raises_no_r02_alert(setup: Setup) -> None:
    claimed = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    with pytest.raises(FilingError):
        urgent(setup, actor=setup.county.user("office"), claimed_start=claimed)
    assert not Alert.objects.exists()
