"""Test helpers: a small county with one named user per role (like healthchecks' BaseTestCase)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from qijian.accounts.choices import ADMIN_DUTIES, Role
from qijian.accounts.identity import person_id_for
from qijian.accounts.models import User
from qijian.enterprises.models import Enterprise, Industry
from qijian.org.models import Department, Inspector, Region

TEST_PASSWORD = "Qijian-Test-2025!"  # noqa: S105 (test fixture)


@dataclass
class County:
    county: Region
    township: Region
    other_township: Region
    industry: Industry
    dept: Department
    other_dept: Department
    enterprise: Enterprise
    other_enterprise: Enterprise
    inspector: Inspector
    other_inspector: Inspector
    users: dict[str, User] = field(default_factory=dict)

    def user(self, role: str, *, other: bool = False) -> User:
        return self.users[f"{role}:other" if other else role]


def make_region(code: str, name: str, level: str, parent: Region | None = None) -> Region:
    return Region.objects.create(code=code, name=name, level=level, parent=parent)


def make_user(username: str, role: str, **extra: Any) -> User:
    return User.objects.create_user(username=username, password=TEST_PASSWORD, role=role, **extra)


def build_county() -> County:
    """A minimal county: two departments, two enterprises, two inspectors, every role twice."""
    from qijian.core.codes.uscc import make_uscc

    province = make_region("130000", "河北省", "province")
    city = make_region("130900", "沧州市", "city", province)
    county = make_region("130921", "沧县", "county", city)
    town = make_region("130921100", "旧州镇", "township", county)
    town2 = make_region("130921101", "兴济镇", "township", county)
    section = Industry.objects.create(code="C", name="制造业")
    industry = Industry.objects.create(code="C13", name="农副食品加工业", parent=section)
    dept = Department.objects.create(name="县应急管理局", code="CX-YJ", region=county, high_frequency=True)
    other = Department.objects.create(name="县生态环境分局", code="CX-HB", region=county, high_frequency=True)
    ent_args = {"type": "company", "industry": industry, "address": "沧县", "legal_representative": "张三"}
    ent = Enterprise.objects.create(
        uscc=make_uscc("91130921", "MA0DEM01"), name="沧县甲公司", township=town, **ent_args
    )
    ent2 = Enterprise.objects.create(
        uscc=make_uscc("91130921", "MA0DEM02"), name="沧县乙公司", township=town2, **ent_args
    )
    today = dt.date.today()
    cert = {
        "certificate_valid_from": today - dt.timedelta(days=365),
        "certificate_valid_until": today + dt.timedelta(days=365),
    }
    insp = Inspector.objects.create(name="李四", certificate_no="13092100001", department=dept, **cert)
    insp2 = Inspector.objects.create(name="王五", certificate_no="13092100002", department=other, **cert)
    c = County(county, town, town2, industry, dept, other, ent, ent2, insp, insp2)
    for role in Role:
        for suffix, d, e, i in (("", dept, ent, insp), (":other", other, ent2, insp2)):
            extra: dict[str, Any] = {"enterprise": e} if role == Role.ENTERPRISE else {"department": d}
            if role == Role.INSPECTOR:
                extra["inspector"] = i
            if role in ADMIN_DUTIES:  # 三员分立: each admin-duty account is a distinct person
                extra["person_id"] = person_id_for(f"TEST-{role.value}{suffix.replace(':', '-')}")
            c.users[f"{role.value}{suffix}"] = make_user(f"{role.value}{suffix.replace(':', '_')}", role.value, **extra)
    return c


def login_verified(client: Any, user: User) -> None:
    """Log ``user`` into a test client with a verified second factor (a confirmed TOTP device).

    django_otp keeps the verifying device's persistent id in the session; setting it there is what a
    successful TOTP sign-in does, so TwoFactorRequiredMiddleware lets every role through.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="测试口令", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
