"""Joint-visit pages: the office runs the planner, departments answer, lists stay cheap."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qijian.core.testing import login_verified
from qijian.joint import services
from qijian.joint.models import DepartmentCapacity, PlanningRun, Proposal
from tests.joint.factories import QUARTER, JointSetup
from tests.sampling.factories import add_enterprises

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_office_runs_the_planner_from_the_page_and_sees_the_visits_saved(js: JointSetup) -> None:
    web = _as(js.office)
    response = web.post(reverse("joint:run"), {"quarter": QUARTER.code}, follow=True)
    assert PlanningRun.objects.count() == 1
    page = response.content.decode()
    assert "减少入企 1 次" in page and js.county.enterprise.name in page


def test_a_bad_quarter_is_refused_with_a_message_and_nothing_is_run(js: JointSetup) -> None:
    response = _as(js.office).post(reverse("joint:run"), {"quarter": "明年"}, follow=True)
    assert "无法识别的季度" in response.content.decode()
    assert not PlanningRun.objects.exists()


def test_department_admin_cannot_run_the_planner(js: JointSetup) -> None:
    assert _as(js.admin(js.county.dept)).post(reverse("joint:run"), {"quarter": QUARTER.code}).status_code == 403


def test_both_departments_accept_on_the_page_and_the_detail_shows_the_filing(js: JointSetup) -> None:
    js.run()
    proposal = js.proposal()
    url = reverse("joint:proposal_answer", args=[proposal.pk])
    for department in (js.county.dept, js.county.other_dept):
        assert _as(js.admin(department)).post(url, {"accept": "1"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "filed" and proposal.filing is not None
    page = _as(js.office).get(reverse("joint:proposal_detail", args=[proposal.pk])).content.decode()
    assert proposal.filing.number in page


def test_a_decline_without_a_reason_shows_the_error_and_changes_nothing(js: JointSetup) -> None:
    js.run()
    proposal = js.proposal()
    web = _as(js.admin(js.county.dept))
    response = web.post(reverse("joint:proposal_answer", args=[proposal.pk]), {"accept": "0"}, follow=True)
    assert "拒绝联合检查须填写理由" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == "proposed"


def test_the_detail_page_offers_answer_buttons_to_an_affected_department_only(js: JointSetup) -> None:
    js.run()
    url = reverse("joint:proposal_detail", args=[js.proposal().pk])
    assert "同意联合检查" in _as(js.admin(js.county.dept)).get(url).content.decode()
    assert "同意联合检查" not in _as(js.county.user("supervisor")).get(url).content.decode()


def test_proposal_list_query_count_does_not_grow_with_rows(js: JointSetup, django_assert_max_num_queries: Any) -> None:
    more = add_enterprises(js.county, 12)
    for entry in js.entries.values():
        entry.targets.add(*more)
    js.run()
    assert Proposal.objects.count() == 13
    web = _as(js.office)
    with django_assert_max_num_queries(14):
        response = web.get(reverse("joint:proposal_list"))
    assert response.status_code == 200 and more[-1].name in response.content.decode()


def test_enterprise_calendar_lists_the_planned_visit_by_month(js: JointSetup) -> None:
    js.run()
    proposal = js.proposal()
    page = _as(js.office).get(reverse("joint:enterprise_calendar", args=[js.county.enterprise.pk])).content.decode()
    assert f"{proposal.day.year}年{proposal.day.month}月" in page and f"{proposal.day:%Y-%m-%d}" in page


def test_unplanned_page_shows_the_reason(js: JointSetup) -> None:
    js.county.enterprise.status = "revoked"
    js.county.enterprise.save(update_fields=["status"])
    js.run()
    page = _as(js.office).get(reverse("joint:unplanned_list")).content.decode()
    assert "吊销" in page


def test_share_page_and_office_home_show_the_joint_share_and_visits_saved(js: JointSetup) -> None:
    js.run()
    for department in (js.county.dept, js.county.other_dept):
        services.answer_proposal(actor=js.admin(department), proposal=js.proposal(), accept=True)
    web = _as(js.office)
    share = web.get(reverse("joint:share"), {"year": "2027"}).content.decode()
    assert "100.0%" in share and "50%" in share
    home = web.get(reverse("core:home")).content.decode()
    assert "综合查一次减少入企" in home and "联合检查占比" in home


def test_department_admin_sets_its_capacity_on_the_page(js: JointSetup) -> None:
    web = _as(js.admin(js.county.dept))
    response = web.post(reverse("joint:capacity"), {"department": js.county.dept.pk, "teams_per_day": "4"})
    assert response.status_code == 302
    assert DepartmentCapacity.objects.get(department=js.county.dept).teams_per_day == 4
    web.post(reverse("joint:capacity"), {"department": js.county.other_dept.pk, "teams_per_day": "4"})
    assert not DepartmentCapacity.objects.filter(department=js.county.other_dept).exists()


def test_joint_share_counts_a_partner_department_once_per_joint_filing(js: JointSetup) -> None:
    from qijian.joint import queries

    js.run()
    for department in (js.county.dept, js.county.other_dept):
        services.answer_proposal(actor=js.admin(department), proposal=js.proposal(), accept=True)
    county, departments = queries.joint_share(2027)
    assert (county.total, county.joint, county.share, county.met) == (1, 1, 1.0, True)
    assert [(row.total, row.joint) for row in departments] == [(1, 1), (1, 1)]
    assert queries.joint_share(2026)[0].total == 0


def test_far_off_quarters_and_odd_digits_in_the_query_string_are_refused_not_crashes(county) -> None:  # type: ignore[no-untyped-def]
    """``0000Q1``/``9999Q4`` once built impossible dates; ``"²".isdigit()`` is True but ``int("²")`` fails."""
    from django.test import Client
    from django.urls import reverse

    from qijian.core.testing import login_verified

    web = Client()
    login_verified(web, county.user("office"))
    for quarter in ("0000Q1", "9999Q4", "2099Q1"):
        response = web.post(reverse("joint:run"), {"quarter": quarter})
        assert response.status_code in (200, 302), quarter
    assert web.get(reverse("joint:share"), {"year": "²"}).status_code == 200
    assert web.get(reverse("joint:proposal_list"), {"after": "²"}).status_code == 200
