"""The alert list and detail (acknowledge / resolve), and the inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qijian.core.models import Notification
from qijian.core.testing import County
from qijian.oversight.models import Alert
from qijian.oversight.rules import RULES
from tests.oversight.conftest import MakeAlert

pytestmark = pytest.mark.django_db
ClientOf = Callable[..., Client]
LIST = reverse("oversight:alert_list")
# Middleware (session, user, OTP device, idle stamp) + the department choices + count + one page of rows.
LIST_QUERIES = 8


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_office_lists_every_alert_and_a_dept_admin_only_its_departments(
    county: County, make_alert: MakeAlert, client_of: ClientOf
) -> None:
    make_alert(message="本部门的预警")
    make_alert(message="他部门的预警", department=county.other_dept)
    for role in ("office", "supervisor", "random_coordinator"):
        body = page(client_of(role), LIST)
        assert "本部门的预警" in body and "他部门的预警" in body, role
    body = page(client_of("dept_admin"), LIST)
    assert "本部门的预警" in body and "他部门的预警" not in body


@pytest.mark.parametrize("role", ["inspector", "enterprise", "discipline", "sysadmin", "auditor"])
def test_other_roles_may_not_see_alerts(client_of: ClientOf, role: str) -> None:
    assert client_of(role).get(LIST).status_code == 403


def test_filters_by_rule_severity_status_referral_enterprise_and_date(
    county: County, make_alert: MakeAlert, client_of: ClientOf
) -> None:
    make_alert(rule="R02", severity="critical", message="事后报备预警", enterprise=county.enterprise)
    make_alert(rule="R11", severity="overdue", message="逾期报送预警")
    office = client_of("office")
    assert "逾期报送预警" not in page(office, LIST, rule="R02")
    assert "逾期报送预警" not in page(office, LIST, severity="critical")
    assert "事后报备预警" not in page(office, LIST, referral="false")
    assert "逾期报送预警" not in page(office, LIST, enterprise=county.enterprise.uscc[:8])
    assert "逾期报送预警" not in page(office, LIST, enterprise="甲公司")
    assert "事后报备预警" not in page(office, LIST, department=county.other_dept.pk, status="open")
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert "事后报备预警" not in page(office, LIST, since=tomorrow)
    assert "事后报备预警" in page(office, LIST, until=tomorrow)


def test_the_list_takes_a_constant_number_of_queries(
    county: County, make_alert: MakeAlert, client_of: ClientOf, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        make_alert(enterprise=county.enterprise)
    office = client_of("office")
    with django_assert_max_num_queries(LIST_QUERIES):
        office.get(LIST)


def test_the_detail_shows_the_policy_sentence_facts_and_subjects(
    county: County, make_alert: MakeAlert, client_of: ClientOf
) -> None:
    alert = make_alert(rule="R06", enterprise=county.enterprise)
    body = page(client_of("supervisor"), reverse("oversight:alert_detail", args=[alert.pk]))
    assert RULES["R06"].source in body and county.enterprise.name in body and county.dept.name in body
    assert "确认预警" not in body  # read-only for the supervisor
    assert "确认预警" in page(client_of("office"), reverse("oversight:alert_detail", args=[alert.pk]))


def test_a_dept_admin_of_another_department_gets_404(make_alert: MakeAlert, client_of: ClientOf) -> None:
    alert = make_alert()
    response = client_of("dept_admin", other=True).get(reverse("oversight:alert_detail", args=[alert.pk]))
    assert response.status_code == 404


def test_the_office_acknowledges_then_resolves_with_a_comment(make_alert: MakeAlert, client_of: ClientOf) -> None:
    alert, office = make_alert(), client_of("office")
    office.post(reverse("oversight:alert_acknowledge", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    office.post(reverse("oversight:alert_resolve", args=[alert.pk]), {"comment": "已约谈部门负责人"})
    alert.refresh_from_db()
    assert (alert.status, alert.resolution) == ("resolved", "已约谈部门负责人")
    body = page(office, reverse("oversight:alert_detail", args=[alert.pk]))
    assert "办结监督预警" in body and "已约谈部门负责人" in body


def test_resolving_without_a_comment_changes_nothing(make_alert: MakeAlert, client_of: ClientOf) -> None:
    alert = make_alert()
    response = client_of("office").post(
        reverse("oversight:alert_resolve", args=[alert.pk]), {"comment": "  "}, follow=True
    )
    assert "须填写处理意见" in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == "open"


def test_acknowledging_twice_says_why(make_alert: MakeAlert, client_of: ClientOf) -> None:
    alert, office = make_alert(), client_of("office")
    office.post(reverse("oversight:alert_acknowledge", args=[alert.pk]))
    response = office.post(reverse("oversight:alert_acknowledge", args=[alert.pk]), follow=True)
    assert "已确认或已办结" in response.content.decode()


@pytest.mark.parametrize("role", ["supervisor", "random_coordinator", "dept_admin"])
def test_readers_may_not_act_on_alerts(make_alert: MakeAlert, client_of: ClientOf, role: str) -> None:
    alert = make_alert()
    client = client_of(role)
    assert client.post(reverse("oversight:alert_acknowledge", args=[alert.pk])).status_code == 403
    assert client.post(reverse("oversight:alert_resolve", args=[alert.pk]), {"comment": "x"}).status_code == 403
    assert Alert.objects.get(pk=alert.pk).status == "open"


def test_the_nav_has_the_alert_and_inbox_entries(client_of: ClientOf) -> None:
    body = page(client_of("office"), reverse("core:home"))
    assert "监督预警" in body and "消息" in body
    body = page(client_of("inspector"), reverse("core:home"))
    assert "监督预警" not in body and "消息" in body


# --- inbox ---------------------------------------------------------------------------------------------


def notes(county: County, role: str = "office") -> list[Notification]:
    user = county.user(role)
    old = Notification.objects.create(recipient=user, title="旧消息-已读", read_at=dt.datetime.now(dt.UTC))
    new = Notification.objects.create(recipient=user, title="新消息-未读", link="/oversight/")
    return [old, new]


def test_the_inbox_lists_unread_first_and_only_ones_own(county: County, client_of: ClientOf) -> None:
    notes(county)
    Notification.objects.create(recipient=county.user("office", other=True), title="别人的消息")
    body = page(client_of("office"), reverse("oversight:inbox"))
    assert body.index("新消息-未读") < body.index("旧消息-已读")
    assert "别人的消息" not in body and "未读 1 条" in body


def test_marking_one_read_follows_its_link(county: County, client_of: ClientOf) -> None:
    _, new = notes(county)
    response = client_of("office").post(reverse("oversight:inbox_read", args=[new.pk]), {"next": new.link})
    assert response.status_code == 302 and response["Location"] == "/oversight/"
    new.refresh_from_db()
    assert new.read_at is not None


def test_an_outside_next_url_is_not_followed(county: County, client_of: ClientOf) -> None:
    _, new = notes(county)
    response = client_of("office").post(
        reverse("oversight:inbox_read", args=[new.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("oversight:inbox")


def test_marking_another_users_notification_is_404(county: County, client_of: ClientOf) -> None:
    _, new = notes(county)
    assert client_of("office", other=True).post(reverse("oversight:inbox_read", args=[new.pk])).status_code == 404
    new.refresh_from_db()
    assert new.read_at is None


def test_mark_all_read(county: County, client_of: ClientOf) -> None:
    notes(county)
    Notification.objects.create(recipient=county.user("office", other=True), title="别人的消息")
    client_of("office").post(reverse("oversight:inbox_read_all"))
    assert not Notification.objects.filter(recipient=county.user("office"), read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_the_detail_links_its_filing_and_plan(county: County, make_alert: MakeAlert, client_of: ClientOf) -> None:
    from qijian.plans.models import Plan
    from tests.oversight.factories import make_filing

    filing = make_filing(county, day=dt.date(2026, 3, 2))
    plan = Plan.objects.create(kind="quarterly", department=county.dept, year=2026, quarter=2)
    alert = make_alert(filing=filing, plan=plan)
    body = page(client_of("office"), reverse("oversight:alert_detail", args=[alert.pk]))
    assert reverse("inspections:detail", args=[filing.pk]) in body
    assert reverse("plans:plan_detail", args=[plan.pk]) in body


def test_a_bad_filter_value_is_a_form_error_not_a_crash(client_of: ClientOf) -> None:
    body = page(client_of("office"), LIST, since="2026-13-40", severity="nope")
    assert "invalid-feedback" in body


def test_the_detail_names_the_facts_in_chinese(county: County, client_of: ClientOf) -> None:
    from qijian.oversight.rules import Finding
    from qijian.oversight.services import raise_alert

    finding = Finding("R03", "block", "执法人员不足", {"certified": ["A1"], "uncertified": []})
    alert = raise_alert(finding=finding, key="facts", department=county.dept)
    assert alert is not None
    body = page(client_of("office"), reverse("oversight:alert_detail", args=[alert.pk]))
    assert "持有效证件的执法人员(证号)" in body and "A1" in body and "certified" not in body
