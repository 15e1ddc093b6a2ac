"""Demo grading: indicator values shared by the county's data and tax bureaus for the demo enterprises, and
the 2026 grade list computed from them, approved by a joint-meeting decision and in force.

Idempotent: values are imported once; a list that is no longer a draft is left alone. Needs the core demo
(enterprises, the ``office`` account) and the meetings demo (the 2025 Q4 meeting); loads after oversight.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from django.db import transaction

from qijian.core import calendar
from qijian.enterprises.models import Enterprise
from qijian.grading import services
from qijian.grading.choices import ListStatus
from qijian.grading.models import GradeList, IndicatorValue
from qijian.meetings.choices import DecisionSubject
from qijian.meetings.demo import OFFICE_USERNAME, QUARTERLY_MEETING
from qijian.meetings.models import Decision, Meeting
from qijian.meetings.services import record_decision

LIST_YEAR = 2026
SOURCE = "演示数据:县数政局公共信用评价、县税务局纳税信用及纳税额、县科技工信和商务局高新技术企业名单(2025年度)"
DECISION_TEXT = "审定2026年度企业分级分类监管清单,自2026年1月1日起执行;C类企业列为重点监管对象,定向和随机抽查相结合。"
OVERRIDE_REASON = "2025年11月发生一般安全生产事故,事故调查尚未结案,经联席会议办公室研究暂按B类监管"


def _roll(uscc: str, salt: str) -> int:
    """A stable number in [0, 100) per enterprise and purpose (the demo is the same on every load)."""
    return int(hashlib.sha256(f"{salt}:{uscc}".encode()).hexdigest()[:8], 16) % 100


def _profile(uscc: str) -> dict[str, Any] | None:
    """Indicator values of one enterprise: about 12 % model (A), 8 % risky (C), 5 % without data."""
    roll, spread = _roll(uscc, "profile"), _roll(uscc, "spread")
    if roll < 5:
        return None
    if roll < 17:
        return {"credit_rating": "A", "tax_rating": "A", "high_tech": spread < 40, "employees": 60 + spread * 5,
                "tax_paid": 120 + spread * 8, "safety_incidents": 0}  # fmt: skip
    if roll < 92:
        return {"credit_rating": "AB"[spread % 2], "tax_rating": "BM"[spread % 2], "high_tech": spread < 5,
                "employees": 5 + spread, "tax_paid": 3 + spread, "safety_incidents": int(spread > 90)}  # fmt: skip
    return {"credit_rating": "CD"[spread % 2], "tax_rating": "MCD"[spread % 3], "high_tech": False,
            "employees": 3 + spread // 4, "tax_paid": 1 + spread // 10, "safety_incidents": spread % 3}  # fmt: skip


def _rows(year: int) -> Iterator[dict[str, Any]]:
    for pk, uscc in Enterprise.objects.order_by("id").values_list("id", "uscc").iterator(chunk_size=5000):
        profile = _profile(uscc)
        if profile is not None:
            yield {"enterprise_id": pk, "uscc": uscc, "year": year} | profile


def _office() -> Any:
    from qijian.accounts.models import User

    return User.objects.get(username=OFFICE_USERNAME)


def _decision(office: Any) -> Decision:
    meeting = Meeting.objects.get(title=QUARTERLY_MEETING)
    found = Decision.objects.filter(meeting=meeting, subject=DecisionSubject.GRADING).first()
    return found or record_decision(actor=office, meeting=meeting, subject=DecisionSubject.GRADING, text=DECISION_TEXT)


def _override_one(office: Any, grade_list: GradeList) -> None:
    entry = grade_list.entries.filter(grade="A", override_reason="").select_related("enterprise").first()
    if entry is not None and not grade_list.entries.exclude(override_reason="").exists():
        services.override_grade(actor=office, entry=entry, grade="B", reason=OVERRIDE_REASON)


@transaction.atomic
def load_demo() -> None:
    """Import the demo indicator values and put the 2026 list (or this year's, if later) in force."""
    office = _office()
    year = max(LIST_YEAR, calendar.local_today().year)
    if not IndicatorValue.objects.exists():
        services.record_indicator_values(actor=office, rows=_rows(year - 1), source=SOURCE)
    existing = GradeList.objects.filter(year=year).first()
    if existing is not None and existing.status != ListStatus.DRAFT:
        return
    grade_list = services.produce_draft_list(actor=office, year=year)
    _override_one(office, grade_list)
    # Approval puts the list in force at once: its effective date (1 January) has come.
    services.approve_grade_list(actor=office, grade_list=grade_list, decision=_decision(office))
