"""Home page per role, keyset pagination, and the audited, sysadmin-only Django admin."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from qijian.audit.models import AuditEvent
from qijian.core.pagination import keyset_page
from qijian.core.testing import County, login_verified
from qijian.org.models import Inspector, Region


def _client(county: County, role: str) -> Client:
    client = Client()
    login_verified(client, county.user(role))
    return client


def test_two_factor_role_without_verification_is_sent_to_the_2fa_page(county: County) -> None:
    client = Client()
    client.force_login(county.user("office"))
    assert client.get(reverse("core:home")).status_code == 302


def test_office_home_shows_county_counts_and_grade_chart_data(county: County) -> None:
    cache.clear()
    body = _client(county, "office").get(reverse("core:home")).content.decode()
    assert 'id="qj-grade-data"' in body and "home-charts.js" in body
    assert '"B\\u7c7b": 2' in body  # both enterprises are grade B ("B类")
    assert "<script>" not in body  # CSP: no inline script, only the JSON island and files


def test_office_home_counts_a_new_critical_alert_at_once(county: County) -> None:
    from qijian.oversight import rules
    from qijian.oversight.services import raise_alert

    client = _client(county, "office")
    client.get(reverse("core:home"))  # the county figures are now cached; the oversight counts must not be
    finding = rules.late_filing(
        filed_at=dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC), started_at=dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
    )
    assert finding is not None
    raise_alert(finding=finding, key="R02:home-test", department=county.dept)
    response = client.get(reverse("core:home"))
    assert response.context["live"]["open_alerts"] == 1
    assert response.context["live"]["open_critical"] == 1
    assert response.context["live"]["messages"] == 1  # the office user was notified in the app


def test_dept_admin_home_lists_own_expiring_certificates_only(county: County) -> None:
    soon = dt.date.today() + dt.timedelta(days=30)
    Inspector.objects.filter(pk__in=[county.inspector.pk, county.other_inspector.pk]).update(
        certificate_valid_until=soon
    )
    body = _client(county, "dept_admin").get(reverse("core:home")).content.decode()
    assert "李四" in body and "王五" not in body


def test_dept_admin_home_omits_certificates_valid_for_long(county: County) -> None:
    body = _client(county, "dept_admin").get(reverse("core:home")).content.decode()
    assert "没有即将到期的执法证" in body


def test_inspector_home_shows_own_certificate(county: County) -> None:
    body = _client(county, "inspector").get(reverse("core:home")).content.decode()
    assert "13092100001" in body and "13092100002" not in body


def test_enterprise_home_shows_own_record(county: County) -> None:
    body = _client(county, "enterprise").get(reverse("core:home")).content.decode()
    assert county.enterprise.uscc in body and county.other_enterprise.uscc not in body


def test_security_roles_get_no_registry_links(county: County) -> None:
    for role in ["secadmin", "auditor"]:
        body = _client(county, role).get(reverse("core:home")).content.decode()
        assert reverse("enterprises:list") not in body and reverse("org:department_list") not in body, role


def _query(url: str | None) -> QueryDict:
    assert url is not None and url.startswith("?")
    return QueryDict(url[1:])


def test_keyset_page_walks_forward_and_back_without_offsets(county: County) -> None:
    regions = [Region.objects.create(code=f"9{i:05d}", name=f"区{i}", level="township") for i in range(7)]
    qs = Region.objects.filter(pk__in=[r.pk for r in regions])
    first = keyset_page(qs, QueryDict(), size=3)
    assert [r.pk for r in first.items] == [r.pk for r in regions[:3]] and first.prev_url is None
    second = keyset_page(qs, _query(first.next_url), size=3)
    assert [r.pk for r in second.items] == [r.pk for r in regions[3:6]]
    last = keyset_page(qs, _query(second.next_url), size=3)
    assert [r.pk for r in last.items] == [regions[6].pk] and last.next_url is None
    back = keyset_page(qs, _query(last.prev_url), size=3)
    assert [r.pk for r in back.items] == [r.pk for r in regions[3:6]] and back.prev_url is not None


def test_keyset_page_keeps_filters_and_ignores_a_malformed_boundary(county: County) -> None:
    page = keyset_page(Region.objects.all(), QueryDict("level=township&after=abc"), size=1)
    assert page.items == [Region.objects.order_by("pk").first()]
    assert page.next_url is not None and "level=township" in page.next_url and "abc" not in page.next_url


def _staff_sysadmin(county: County) -> Client:
    user = county.user("sysadmin")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return _client(county, "sysadmin")


def test_admin_add_region_is_audited_in_the_same_transaction(county: County) -> None:
    client = _staff_sysadmin(county)
    data = {"code": "130921200", "name": "沧东经济开发区", "level": "zone", "parent": county.county.pk}
    response = client.post(reverse("admin:org_region_add"), data)
    assert response.status_code == 302
    region = Region.objects.get(code="130921200")
    event = AuditEvent.objects.get(action="admin.add", target_type="org.region", target_id=str(region.pk))
    assert event.actor == county.user("sysadmin") and event.after["name"] == "沧东经济开发区"


def test_admin_change_and_delete_record_before_and_after(county: County) -> None:
    client = _staff_sysadmin(county)
    region = Region.objects.create(code="130921201", name="旧名", level="township", parent=county.county)
    url = reverse("admin:org_region_change", args=[region.pk])
    client.post(url, {"code": "130921201", "name": "新名", "level": "township", "parent": county.county.pk})
    change = AuditEvent.objects.get(action="admin.change", target_id=str(region.pk), target_type="org.region")
    assert change.before["name"] == "旧名" and change.after["name"] == "新名"
    client.post(reverse("admin:org_region_delete", args=[region.pk]), {"post": "yes"})
    assert not Region.objects.filter(pk=region.pk).exists()
    assert AuditEvent.objects.filter(action="admin.delete", target_id=str(region.pk)).exists()


def test_admin_is_closed_to_other_roles_even_with_staff_flag(county: County) -> None:
    user = county.user("dept_admin")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = _client(county, "dept_admin")
    assert client.get(reverse("admin:org_region_changelist")).status_code == 302  # to the admin login


def test_admin_shows_enterprises_read_only(county: County) -> None:
    client = _staff_sysadmin(county)
    assert client.get(reverse("admin:enterprises_enterprise_changelist")).status_code == 200
    url = reverse("admin:enterprises_enterprise_change", args=[county.enterprise.pk])
    client.post(url, {"name": "改名公司"})
    county.enterprise.refresh_from_db()
    assert county.enterprise.name == "沧县甲公司"
    assert client.get(reverse("admin:enterprises_enterprise_add")).status_code == 403
