"""User.scope_q: who may see and change which accounts."""

from __future__ import annotations

from qijian.accounts.models import User
from qijian.core.models import CHANGE, VIEW
from qijian.core.testing import County


def _visible(county: County, role: str, action: str = VIEW) -> set[int]:
    return set(User.objects.restrict(county.user(role), action).values_list("pk", flat=True))


def test_sysadmin_sees_and_changes_everyone(county: County) -> None:
    everyone = set(User.objects.values_list("pk", flat=True))
    assert _visible(county, "sysadmin") == everyone == _visible(county, "sysadmin", CHANGE)


def test_secadmin_sees_everyone_but_changes_nobody_through_scope(county: County) -> None:
    assert _visible(county, "secadmin") == set(User.objects.values_list("pk", flat=True))
    assert _visible(county, "secadmin", CHANGE) == set()


def test_dept_admin_sees_own_department_only(county: County) -> None:
    expected = set(User.objects.filter(department=county.dept).values_list("pk", flat=True))
    assert _visible(county, "dept_admin") == expected
    assert county.user("inspector", other=True).pk not in expected


def test_auditor_and_office_see_only_themselves(county: County) -> None:
    for role in ("auditor", "office", "supervisor", "inspector", "enterprise", "discipline"):
        assert _visible(county, role) == {county.user(role).pk}, role
        assert _visible(county, role, CHANGE) == set(), role


def test_inactive_user_sees_nothing(county: County) -> None:
    User.objects.filter(pk=county.user("sysadmin").pk).update(is_active=False)
    sysadmin = User.objects.get(pk=county.user("sysadmin").pk)
    assert not User.objects.restrict(sysadmin, VIEW).exists()
