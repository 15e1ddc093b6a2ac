"""The demo county: deterministic, idempotent, and as large and as real as the issue asks."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from qijian.accounts.choices import TWO_FACTOR_ROLES, Role
from qijian.accounts.models import User
from qijian.audit.models import AuditEvent
from qijian.core import demo
from qijian.core.codes.uscc import check_uscc
from qijian.enterprises.models import Enterprise, Industry
from qijian.enterprises.reference import read_industries
from qijian.org.models import Conflict, Department, EnforcementPlatform, Inspector, Region
from qijian.org.reference import read_regions

TODAY = dt.date(2026, 3, 16)
SMALL = 150


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; these tests are about the data, not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_enterprise_generator_is_deterministic_and_prefix_stable() -> None:
    first = demo.generate_enterprises(SMALL)
    assert first == demo.generate_enterprises(SMALL)
    assert demo.generate_enterprises(SMALL // 3) == first[: SMALL // 3]


def test_full_generation_has_unique_valid_codes_except_the_pilot_ones() -> None:
    specs = demo.generate_enterprises()
    failing = [i for i, s in enumerate(specs) if not check_uscc(s.uscc).ok]
    assert failing == list(demo.PILOT_INDICES)
    assert len({s.uscc for s in specs}) == len({s.name for s in specs}) == len(specs) == demo.ENTERPRISE_COUNT


def test_generated_enterprises_cover_every_township_and_lean_to_the_county_industries() -> None:
    specs = demo.generate_enterprises()
    townships = {r.code for r in read_regions() if r.level in ("township", "zone")}
    assert {s.township for s in specs} == townships
    pipes_and_dates = sum(s.industry in ("C3140", "C3311", "C1373") for s in specs)
    assert pipes_and_dates > len(specs) * 0.15


def test_inspector_generator_marks_some_certificates_expired_and_some_expiring() -> None:
    specs = demo.generate_inspectors(TODAY)
    assert specs == demo.generate_inspectors(TODAY)
    expired = [s for s in specs if s.valid_until < TODAY]
    expiring = [s for s in specs if TODAY <= s.valid_until <= TODAY + dt.timedelta(days=30)]
    assert len(expired) >= 3
    assert len(expiring) >= 3
    assert len({s.certificate_no for s in specs}) == len(specs)


@pytest.mark.django_db
def test_load_reference_twice_creates_each_code_once() -> None:
    call_command("load_reference", stdout=StringIO())
    counts = (Region.objects.count(), Industry.objects.count())
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert (Region.objects.count(), Industry.objects.count()) == counts == (len(read_regions()), len(read_industries()))
    assert "新增行政区划 0 个,新增行业 0 个" in out.getvalue()
    assert Industry.objects.filter(code__regex=r"^[A-T]$").count() == 20
    assert Industry.objects.filter(code__regex=r"^[A-T][0-9]{2}$").count() == 97
    assert Industry.objects.get(code="C1373").parent.code == "C137"  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="org.create_region").count() == Region.objects.count()


@pytest.mark.django_db
def test_load_demo_twice_leaves_one_copy_with_the_same_codes() -> None:
    first = demo.build_demo(enterprises=SMALL, today=TODAY)
    codes = set(Enterprise.objects.values_list("uscc", flat=True))
    second = demo.build_demo(enterprises=SMALL, today=TODAY)
    assert (second.created_enterprises, second.created_inspectors) == (0, 0)
    assert first.enterprises == second.enterprises == SMALL
    assert (first.inspectors, first.departments, first.conflicts, first.users) == (
        second.inspectors,
        second.departments,
        second.conflicts,
        second.users,
    )
    assert codes == set(Enterprise.objects.values_list("uscc", flat=True))
    assert codes == {s.uscc for s in demo.generate_enterprises(SMALL)}


@pytest.mark.django_db
@override_settings(QJ_DEMO=False, DEBUG=False)
def test_load_demo_refuses_outside_a_demo_environment() -> None:
    with pytest.raises(CommandError, match="只能载入演示环境"):
        call_command("load_demo", "--enterprises", "10", stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
@override_settings(QJ_DEMO=True)
def test_full_demo_county_meets_the_issue_figures() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "沧县演示数据已就绪" in out.getvalue()
    assert Enterprise.objects.count() >= 5000
    pilots = set(Enterprise.objects.filter(uscc_status="pilot").values_list("uscc", flat=True))
    assert len(pilots) == len(demo.PILOT_INDICES)
    valid = Enterprise.objects.exclude(uscc__in=pilots).values_list("uscc", flat=True)
    assert all(check_uscc(code).ok for code in valid)
    assert Inspector.objects.count() >= 300
    assert Department.objects.filter(level="county", region__code=demo.COUNTY_CODE).count() >= 30
    assert Region.objects.filter(parent__code=demo.COUNTY_CODE).count() == 20
    assert Enterprise.objects.filter(status="closed").exists()
    assert Conflict.objects.count() >= 3


@pytest.mark.django_db
def test_high_frequency_departments_are_emergency_environment_and_market() -> None:
    demo.build_demo(enterprises=SMALL, today=TODAY)
    names = set(Department.objects.filter(high_frequency=True).values_list("name", flat=True))
    assert names == {"沧县应急管理局", "沧州市生态环境局沧县分局", "沧县市场监督管理局"}
    county = Department.objects.filter(level="county", is_enforcement=True)
    assert not county.exclude(pk__in=EnforcementPlatform.objects.values("department")).exists()
    assert Department.objects.get(code="130921-YJGLJ").parent.name == "沧州市应急管理局"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_demo_has_one_account_per_role_with_the_demo_password() -> None:
    demo.build_demo(enterprises=SMALL, today=TODAY)
    users = User.objects.filter(username__in=[u.username for u in demo.DEMO_USERS])
    assert {u.role for u in users} == set(Role.values)
    assert all(u.check_password(demo.DEMO_PASSWORD) for u in users)
    two_factor = users.filter(role__in=TWO_FACTOR_ROLES)
    devices = TOTPDevice.objects.filter(user__in=two_factor, confirmed=True)
    assert {d.user.username: d.key for d in devices.select_related("user")} == {
        u.username: demo.totp_key_hex(u.username) for u in two_factor
    }
    inspector = users.get(username="inspector1")
    assert inspector.inspector is not None and inspector.inspector.department_id == inspector.department_id


@pytest.mark.django_db
@override_settings(QJ_DEMO=True)
def test_demo_totp_prints_the_current_code_of_the_fixed_key() -> None:
    demo.build_demo(enterprises=SMALL, today=TODAY)
    totp, out = TOTP(bytes.fromhex(demo.totp_key_hex("office"))), StringIO()
    before = f"{totp.token():06d}"
    call_command("demo_totp", "office", stdout=out)
    after = f"{totp.token():06d}"  # the 30-second step may turn during the call
    assert out.getvalue().strip() in {before, after}


@pytest.mark.django_db
@override_settings(QJ_DEMO=False, DEBUG=False)
def test_demo_totp_refuses_outside_the_demo() -> None:
    with pytest.raises(CommandError, match="仅用于演示环境"):
        call_command("demo_totp", "office", stdout=StringIO())


def test_readme_gives_every_demo_account_with_its_password_and_totp_secret() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert demo.DEMO_PASSWORD in readme
    for username, _role, secret in demo.demo_accounts():
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{username}` |"))
        assert (secret or "—") in row
