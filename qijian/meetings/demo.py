"""Demo joint meetings: the 2024 Q4 meeting that approved the first item catalogs, and the 2025 Q4
quarterly meeting with its decisions. Idempotent: a meeting is matched by its title."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from qijian.meetings.models import Decision, Meeting
from qijian.meetings.services import record_decision, record_meeting

OFFICE_USERNAME = "office"
CATALOG_MEETING = "2024年第四季度涉企行政检查工作联席会议"
QUARTERLY_MEETING = "2025年第四季度涉企行政检查工作联席会议"


@dataclass(frozen=True)
class MeetingSpec:
    title: str
    held_on: dt.date
    minutes: str
    decisions: tuple[tuple[str, str], ...]  # (subject, text)


MEETINGS = (
    MeetingSpec(
        CATALOG_MEETING,
        dt.date(2024, 12, 27),
        "会议听取了县发改局关于规范涉企行政检查工作的汇报,逐一审议了县直各行政执法部门报送的涉企行政检查事项清单。",
        (
            (
                "catalog",
                "审定县直各行政执法部门涉企行政检查事项清单(第1版),自2025年1月1日起施行,未列入清单的事项一律不得实施检查。",
            ),
            ("annual_random_plan", "原则同意2025年度部门联合“双随机、一公开”抽查计划,由县市场监管局牵头组织实施。"),
        ),
    ),
    MeetingSpec(
        QUARTERLY_MEETING,
        dt.date(2025, 12, 26),
        "会议通报了2025年第四季度全县涉企行政检查情况和监督预警处置情况,分析了检查频次较高部门的"
        "压减情况,研究部署2026年第一季度工作。",
        (
            ("other", "通报2025年第四季度涉企行政检查情况,对未按要求报备的2起检查责成相关部门说明情况。"),
            ("plan", "审定各部门2026年第一季度涉企行政检查计划,由联席会议办公室按程序逐项审定后执行。"),
            (
                "catalog",
                "同意县市场监管局调整涉企行政检查事项清单,新增网络交易经营者主体信息公示检查事项,由联席会议办公室审定后施行。",
            ),
            ("annual_random_plan", "原则同意2026年度部门联合双随机抽查计划编制方案,由县市场监管局于1月31日前报送。"),
        ),
    ),
)


def _office() -> object:
    from qijian.accounts.models import User

    return User.objects.get(username=OFFICE_USERNAME)


def _ensure(spec: MeetingSpec, office: object) -> None:
    if Meeting.objects.filter(title=spec.title).exists():
        return
    meeting = record_meeting(
        actor=office, title=spec.title, held_on=spec.held_on, kind="quarterly", minutes=spec.minutes
    )
    for subject, text in spec.decisions:
        record_decision(actor=office, meeting=meeting, subject=subject, text=text)


@transaction.atomic
def load_demo() -> None:
    """Record the demo meetings and their decisions (needs the core demo's ``office`` account)."""
    office = _office()
    for spec in MEETINGS:
        _ensure(spec, office)


def decision_of(meeting_title: str, subject: str) -> Decision:
    """The demo decision of ``subject`` taken at the meeting titled ``meeting_title``."""
    return Decision.objects.get(meeting__title=meeting_title, subject=subject)
